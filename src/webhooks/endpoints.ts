/**
 * What administrators do with an org's webhook endpoints, shared by the
 * admin HTTP API and the CLI: URLs pass the SSRF guard when saved, secrets
 * are sealed at rest and shown only when made, and a rotated-out secret
 * keeps signing for a day so receivers can switch without losing events.
 */
import type { Config } from '../config.js';
import { HubError } from '../errors.js';
import type { Db } from '../store/db.js';
import {
  findDelivery,
  listDeliveries,
  redeliver,
  enqueueDeliveries,
} from '../store/deliveries.js';
import { eventTypes, insertEvent, testEventType } from '../store/events.js';
import { formatTimestamp, newId, nowMicros } from '../store/ids.js';
import type { SecretBox } from '../store/secret-box.js';
import {
  deleteEndpointRow,
  findEndpointRow,
  insertEndpoint,
  listEndpointRows,
  updateEndpointRow,
  type EndpointChanges,
  type EndpointRow,
} from '../store/webhook-endpoints.js';
import { generateSecret } from './secret.js';
import { checkWebhookUrl, parseAllowedCidrs } from './ssrf.js';

export interface EndpointDeps {
  db: Db;
  secretBox: SecretBox;
  config: Config;
}

export interface EndpointInput {
  url: string;
  description?: string | undefined;
  enabled?: boolean | undefined;
  eventTypes?: string[] | undefined;
}

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  enabled: boolean;
  eventTypes: string[];
  disabledReason: string | null;
  /** Until when the secret before the last rotation still signs. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** How long a rotated-out secret keeps signing (contract part 3). */
export const rotationOverlapMicros = 24 * 3600 * 1_000_000;

export function toEndpointView(row: EndpointRow, now = nowMicros()) {
  const overlap = row.previous_secret_expires_at_us;
  const view: EndpointView = {
    id: row.id,
    url: row.url,
    description: row.description,
    enabled: row.enabled === 1,
    eventTypes: JSON.parse(row.event_types) as string[],
    disabledReason: row.disabled_reason,
    previousSecretExpiresAt:
      overlap !== null && overlap > now ? formatTimestamp(overlap) : null,
    createdAt: formatTimestamp(row.created_at_us),
    updatedAt: formatTimestamp(row.updated_at_us),
  };
  return view;
}

export async function listEndpoints(deps: EndpointDeps, orgId: string) {
  return (await listEndpointRows(deps.db, orgId)).map((r) => toEndpointView(r));
}

export async function getEndpoint(
  deps: EndpointDeps,
  orgId: string,
  id: string,
): Promise<EndpointRow> {
  const row = await findEndpointRow(deps.db, orgId, id);
  if (!row) throw new HubError('not_found', `No webhook endpoint ${id}.`);
  return row;
}

/** Saves a new endpoint; the answer carries the secret, shown this once. */
export async function createEndpoint(
  deps: EndpointDeps,
  orgId: string,
  input: EndpointInput,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const url = await checkUrl(deps, input.url);
  const id = newId('ep');
  const secret = generateSecret();
  const now = nowMicros();
  const row: EndpointRow = {
    id,
    org_id: orgId,
    url,
    description: input.description ?? '',
    enabled: input.enabled === false ? 0 : 1,
    event_types: JSON.stringify(checkEventTypes(input.eventTypes)),
    secret_encrypted: deps.secretBox.seal(secret, id),
    previous_secret_encrypted: null,
    previous_secret_expires_at_us: null,
    disabled_reason: null,
    created_at_us: now,
    updated_at_us: now,
  };
  await insertEndpoint(deps.db, row);
  return { endpoint: toEndpointView(row), secret };
}

/** Changes the given fields; enabling clears why it was disabled. */
export async function updateEndpoint(
  deps: EndpointDeps,
  orgId: string,
  id: string,
  patch: Partial<EndpointInput>,
): Promise<EndpointView> {
  await getEndpoint(deps, orgId, id);
  const changes: EndpointChanges = { updated_at_us: nowMicros() };
  if (patch.url !== undefined) changes.url = await checkUrl(deps, patch.url);
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.eventTypes !== undefined) {
    changes.event_types = JSON.stringify(checkEventTypes(patch.eventTypes));
  }
  if (patch.enabled !== undefined) {
    changes.enabled = patch.enabled ? 1 : 0;
    if (patch.enabled) changes.disabled_reason = null;
  }
  await updateEndpointRow(deps.db, orgId, id, changes);
  return toEndpointView(await getEndpoint(deps, orgId, id));
}

export async function deleteEndpoint(
  deps: EndpointDeps,
  orgId: string,
  id: string,
): Promise<void> {
  if (!(await deleteEndpointRow(deps.db, id, orgId))) {
    throw new HubError('not_found', `No webhook endpoint ${id}.`);
  }
}

/**
 * A new secret; the current one becomes the previous and signs alongside
 * for 24 hours. A second rotation within the day drops the oldest.
 */
export async function rotateSecret(
  deps: EndpointDeps,
  orgId: string,
  id: string,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const row = await getEndpoint(deps, orgId, id);
  const secret = generateSecret();
  const now = nowMicros();
  await updateEndpointRow(deps.db, orgId, id, {
    secret_encrypted: deps.secretBox.seal(secret, id),
    previous_secret_encrypted: row.secret_encrypted,
    previous_secret_expires_at_us: now + rotationOverlapMicros,
    updated_at_us: now,
  });
  const updated = await getEndpoint(deps, orgId, id);
  return { endpoint: toEndpointView(updated, now), secret };
}

/**
 * Queues a `report.test` event to this endpoint alone. Its body has the
 * list shape like every event, with the org's newest report (or none), so
 * a receiver can exercise its real parsing without anything having changed.
 */
export async function sendTestEvent(
  deps: EndpointDeps,
  orgId: string,
  id: string,
): Promise<{ deliveryId: string; eventId: string }> {
  const row = await getEndpoint(deps, orgId, id);
  if (row.enabled !== 1) {
    throw new HubError(
      'conflict',
      'The endpoint is disabled; enable it first.',
    );
  }
  return deps.db.kysely.transaction().execute(async (trx) => {
    const newest = await trx
      .selectFrom('reports')
      .select('id')
      .where('org_id', '=', orgId)
      .orderBy('upload_date_us', 'desc')
      .limit(1)
      .execute();
    const eventId = await insertEvent(trx, {
      orgId,
      type: testEventType,
      reportIds: newest.map((r) => r.id),
    });
    const [deliveryId] = await enqueueDeliveries(trx, { eventId, orgId }, [id]);
    return { deliveryId: deliveryId!, eventId };
  });
}

export async function endpointDeliveries(
  deps: EndpointDeps,
  orgId: string,
  id: string,
  limit: number,
) {
  await getEndpoint(deps, orgId, id);
  return listDeliveries(deps.db, id, limit);
}

/** Sends a delivery again, under its same `webhook-id`. */
export async function redeliverDelivery(
  deps: EndpointDeps,
  orgId: string,
  deliveryId: string,
) {
  const found = await findDelivery(deps.db, orgId, deliveryId);
  if (!found) throw new HubError('not_found', `No delivery ${deliveryId}.`);
  if (!(await redeliver(deps.db, deliveryId, nowMicros()))) {
    throw new HubError('conflict', 'The delivery is being sent right now.');
  }
  return (await findDelivery(deps.db, orgId, deliveryId))!;
}

async function checkUrl(deps: EndpointDeps, url: string): Promise<string> {
  const allow = parseAllowedCidrs(deps.config.webhookAllowedCidrs);
  return (await checkWebhookUrl(url, { allow })).toString();
}

function checkEventTypes(types: string[] | undefined): string[] {
  if (types === undefined) return [...eventTypes];
  if (types.length === 0) {
    throw new HubError(
      'invalid_parameter',
      `Give at least one event type: ${eventTypes.join(', ')}.`,
      { parameter: 'eventTypes' },
    );
  }
  const unknown = types.find((t) => !(eventTypes as string[]).includes(t));
  if (unknown !== undefined) {
    throw new HubError(
      'invalid_parameter',
      `Event types are ${eventTypes.join(', ')}; got "${unknown}".`,
      { parameter: 'eventTypes' },
    );
  }
  return [...new Set(types)];
}
