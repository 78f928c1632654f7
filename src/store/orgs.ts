import type { Db } from './db.js';
import { newUuid, nowMicros } from './ids.js';

export interface Organization {
  id: string;
  name: string;
}

export async function createOrganization(
  db: Db,
  name: string,
): Promise<Organization> {
  const org = { id: newUuid(), name };
  await db.kysely
    .insertInto('organizations')
    .values({ ...org, created_at_us: nowMicros() })
    .execute();
  return org;
}

export async function findOrganization(
  db: Db,
  id: string,
): Promise<Organization | undefined> {
  return db.kysely
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
}

export async function listOrganizations(db: Db): Promise<Organization[]> {
  return db.kysely
    .selectFrom('organizations')
    .select(['id', 'name'])
    .orderBy('name')
    .execute();
}
