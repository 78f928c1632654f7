/**
 * API tokens. A token is shown once when made; only its SHA-256 is stored.
 * Tokens are 32 random bytes, so a fast hash is enough: there is nothing to
 * guess that a slow password hash would protect.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { newId, nowMicros } from './ids.js';
import type { TokenKind } from './schema.js';

export interface IssuedToken {
  id: string;
  name: string;
  /** The secret itself; not stored, not retrievable later. */
  token: string;
}

export interface TokenOwner {
  id: string;
  orgId: string | null;
  kind: TokenKind;
}

export interface TokenInfo {
  id: string;
  name: string;
  kind: TokenKind;
  /** ISO 8601. */
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

const PREFIX: Record<TokenKind, string> = { ingest: 'rhi_', admin: 'rha_' };

function isoOf(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createToken(
  db: Db,
  options: { orgId: string | null; name: string; kind: TokenKind },
): Promise<IssuedToken> {
  const token = PREFIX[options.kind] + randomBytes(32).toString('base64url');
  const id = newId('tok');
  await db.kysely
    .insertInto('tokens')
    .values({
      id,
      org_id: options.orgId,
      name: options.name,
      kind: options.kind,
      token_hash: hashToken(token),
      created_at_us: nowMicros(),
      revoked_at_us: null,
      last_used_at_us: null,
    })
    .execute();
  return { id, name: options.name, token };
}

/** The token's owner, or undefined when unknown or revoked. */
export async function authenticateToken(
  db: Db,
  token: string,
): Promise<TokenOwner | undefined> {
  const row = await db.kysely
    .selectFrom('tokens')
    .select(['id', 'org_id', 'kind', 'revoked_at_us'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at_us !== null) return undefined;

  await db.kysely
    .updateTable('tokens')
    .set({ last_used_at_us: nowMicros() })
    .where('id', '=', row.id)
    .execute();
  return { id: row.id, orgId: row.org_id, kind: row.kind };
}

/** Revokes a token; false when there is no such token. */
export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const result = await db.kysely
    .updateTable('tokens')
    .set({ revoked_at_us: nowMicros() })
    .where('id', '=', id)
    .where('revoked_at_us', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function listTokens(
  db: Db,
  orgId: string | null,
): Promise<TokenInfo[]> {
  let query = db.kysely.selectFrom('tokens').selectAll();
  query =
    orgId === null
      ? query.where('org_id', 'is', null)
      : query.where('org_id', '=', orgId);
  const rows = await query.orderBy('created_at_us').execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    createdAt: isoOf(row.created_at_us),
    lastUsedAt:
      row.last_used_at_us === null ? null : isoOf(row.last_used_at_us),
    revoked: row.revoked_at_us !== null,
  }));
}
