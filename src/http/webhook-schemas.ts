/**
 * Request and response shapes of the webhook admin API. Secrets appear only
 * in EndpointWithSecretJson, the answer to create and rotate.
 */
import { Type } from '@sinclair/typebox';
import { formatTimestamp } from '../store/ids.js';
import type { Micros } from '../store/schema.js';
import type { listDeliveries } from '../store/deliveries.js';

const EventType = Type.Union([
  Type.Literal('report.created'),
  Type.Literal('report.updated'),
]);

const fields = {
  url: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'http or https; its addresses must pass the SSRF guard.',
  }),
  description: Type.String({ maxLength: 500 }),
  enabled: Type.Boolean(),
  eventTypes: Type.Array(EventType, { minItems: 1, uniqueItems: true }),
};

export const NewEndpoint = Type.Object(
  {
    url: fields.url,
    description: Type.Optional(fields.description),
    enabled: Type.Optional(fields.enabled),
    eventTypes: Type.Optional({
      ...fields.eventTypes,
      description: 'Defaults to every event type.',
    }),
  },
  { additionalProperties: false },
);

export const EndpointPatch = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
});

const Timestamp = Type.String({
  examples: ['2025-12-17T09:05:48.5946430+00:00'],
});
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) =>
  Type.Union([t, Type.Null()]);

const endpointProperties = {
  id: Type.String({ examples: ['ep_3kT9x2bQf0Lw8cZr'] }),
  url: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  eventTypes: Type.Array(Type.String()),
  disabledReason: Nullable(Type.String()),
  previousSecretExpiresAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const EndpointJson = Type.Object(endpointProperties);

export const EndpointListJson = Type.Object({
  endpoints: Type.Array(EndpointJson),
});

export const EndpointWithSecretJson = Type.Object({
  ...endpointProperties,
  secret: Type.String({
    description: 'whsec_ + base64; shown only in this answer.',
  }),
});

export const TestEventJson = Type.Object({
  deliveryId: Type.String(),
  eventId: Type.String(),
});

const AttemptJson = Type.Object({
  at: Timestamp,
  status: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Integer(),
  error: Nullable(Type.String()),
  responseSnippet: Type.String({ description: 'The first 1 KiB.' }),
});

const deliveryProperties = {
  id: Type.String({ description: 'The webhook-id header.' }),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.Union(
    ['pending', 'delivering', 'delivered', 'failed'].map((s) =>
      Type.Literal(s),
    ),
  ),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  createdAt: Timestamp,
  lastAttemptAt: Nullable(Timestamp),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Timestamp),
};

export const DeliveryJson = Type.Object({
  ...deliveryProperties,
  attemptLog: Type.Optional(Type.Array(AttemptJson)),
});

export const DeliveryListJson = Type.Object({
  deliveries: Type.Array(DeliveryJson),
});

type DeliveryRow = Omit<
  Awaited<ReturnType<typeof listDeliveries>>[number],
  'attemptLog'
> & {
  attemptLog?: Awaited<ReturnType<typeof listDeliveries>>[number]['attemptLog'];
};

const time = (us: Micros | null) => (us === null ? null : formatTimestamp(us));

export function toDeliveryJson(row: DeliveryRow) {
  const finished = row.status === 'delivered' || row.status === 'failed';
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: finished ? null : time(row.nextAttemptAt),
    createdAt: formatTimestamp(row.createdAt),
    lastAttemptAt: time(row.lastAttemptAt),
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    deliveredAt: time(row.deliveredAt),
    ...(row.attemptLog && {
      attemptLog: row.attemptLog.map((a) => ({
        at: formatTimestamp(a.at_us),
        status: a.status,
        durationMs: a.duration_ms,
        error: a.error,
        responseSnippet: a.response_snippet,
      })),
    }),
  };
}
