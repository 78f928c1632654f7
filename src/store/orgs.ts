/** Organizations: the tenants that own products, reports, tokens and webhooks. */
import { labelLimits, labelProblem } from '../domain/labels.js';
import { HubError } from '../errors.js';
import type { Db } from './db.js';
import { newUuid, nowMicros } from './ids.js';

export interface Organization {
  id: string;
  name: string;
}

/** Creates an organization; the name is trimmed and must not be empty. */
export async function createOrganization(
  db: Db,
  name: string,
): Promise<Organization> {
  const problem = labelProblem('projectName', name);
  if (problem) {
    throw new HubError(
      'invalid_parameter',
      `An organization needs a name of 1 to ${labelLimits.projectName} ` +
        'characters without control characters.',
      { parameter: 'name' },
    );
  }
  const org = { id: newUuid(), name: name.trim() };
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
