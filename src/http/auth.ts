/**
 * Bearer-token authentication for ingest and admin endpoints. The public
 * read API takes none (contract part 1).
 */
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.js';
import type { Db } from '../store/db.js';
import type { TokenKind } from '../store/schema.js';
import { authenticateToken } from '../store/tokens.js';

export interface Caller {
  tokenId: string;
  orgId: string;
  kind: TokenKind;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `tokenHook` on routes that take a token; null elsewhere. */
    caller: Caller | null;
  }
}

function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new HubError(
      'unauthorized',
      'Send a token as "Authorization: Bearer <token>".',
    );
  }
  return match[1]!;
}

/**
 * The org the token belongs to. `kinds` lists the token kinds allowed; an
 * admin token may do everything an ingest token may.
 */
export async function requireToken(
  db: Db,
  request: FastifyRequest,
  kinds: TokenKind[],
): Promise<Caller> {
  const owner = await authenticateToken(db, bearerOf(request));
  if (!owner || owner.orgId === null) {
    throw new HubError('unauthorized', 'The token is unknown or revoked.');
  }
  if (!kinds.includes(owner.kind)) {
    throw new HubError(
      'forbidden',
      `This needs a token of kind "${kinds.join('" or "')}"; ` +
        `the token sent is of kind "${owner.kind}".`,
    );
  }
  return { tokenId: owner.id, orgId: owner.orgId, kind: owner.kind };
}

/**
 * An onRequest hook that checks the token before the body is read, so an
 * unauthenticated client gets 401 at once and cannot make the server buffer
 * an upload. The route needs `caller` decorated on its requests.
 */
export function tokenHook(
  db: Db,
  kinds: TokenKind[],
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    request.caller = await requireToken(db, request, kinds);
  };
}

/** The caller `tokenHook` found; a route without the hook is a fault. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('The route has no tokenHook.');
  return request.caller;
}

/** Refuses a request that names an org other than the token's. */
export function requireSameOrg(caller: Caller, org: string | undefined): void {
  if (org !== undefined && org.toLowerCase() !== caller.orgId) {
    throw new HubError(
      'forbidden',
      'The token belongs to another organization.',
      { parameter: 'org' },
    );
  }
}
