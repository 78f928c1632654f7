/**
 * The admin API for webhooks (contract part 3): an org's endpoints, their
 * secrets, test events, the delivery log and redelivery. Every route takes
 * an admin token of the org; another org's IDs answer 404, never 403, so
 * IDs cannot be probed across organizations.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createEndpoint,
  deleteEndpoint,
  endpointDeliveries,
  getEndpoint,
  listEndpoints,
  redeliverDelivery,
  rotateSecret,
  sendTestEvent,
  toEndpointView,
  updateEndpoint,
} from '../../webhooks/endpoints.js';
import { requireToken } from '../auth.js';
import { ErrorJson } from '../schemas.js';
import {
  DeliveryJson,
  DeliveryListJson,
  EndpointJson,
  EndpointListJson,
  EndpointPatch,
  EndpointWithSecretJson,
  NewEndpoint,
  TestEventJson,
  toDeliveryJson,
} from '../webhook-schemas.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const DeliveriesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

const errors = { 400: ErrorJson, 401: ErrorJson, 403: ErrorJson };
const withNotFound = { ...errors, 404: ErrorJson, 409: ErrorJson };
const common = { tags: ['webhooks'], security: [{ bearer: [] }] };

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services;
  const deps = app.services;
  const admin = async (request: Parameters<typeof requireToken>[1]) =>
    (await requireToken(db, request, ['admin'])).orgId;

  app.get(
    '/admin/webhooks',
    {
      schema: {
        ...common,
        summary: "List the org's webhook endpoints (never their secrets).",
        response: { 200: EndpointListJson, ...errors },
      },
    },
    async (request) => ({
      endpoints: await listEndpoints(deps, await admin(request)),
    }),
  );

  app.post(
    '/admin/webhooks',
    {
      schema: {
        ...common,
        summary: 'Add an endpoint; the answer shows its secret, this once.',
        body: NewEndpoint,
        response: { 201: EndpointWithSecretJson, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createEndpoint(
        deps,
        await admin(request),
        request.body,
      );
      request.log.info(
        { endpointId: created.endpoint.id },
        'webhook endpoint created',
      );
      return reply
        .code(201)
        .send({ ...created.endpoint, secret: created.secret });
    },
  );

  app.get(
    '/admin/webhooks/:id',
    {
      schema: {
        ...common,
        summary: 'One endpoint.',
        params: IdParams,
        response: { 200: EndpointJson, ...withNotFound },
      },
    },
    async (request) =>
      toEndpointView(
        await getEndpoint(deps, await admin(request), request.params.id),
      ),
  );

  app.patch(
    '/admin/webhooks/:id',
    {
      schema: {
        ...common,
        summary: 'Change the URL, description, event types or enabled.',
        params: IdParams,
        body: EndpointPatch,
        response: { 200: EndpointJson, ...withNotFound },
      },
    },
    async (request) =>
      updateEndpoint(
        deps,
        await admin(request),
        request.params.id,
        request.body,
      ),
  );

  app.delete(
    '/admin/webhooks/:id',
    {
      schema: {
        ...common,
        summary: 'Delete an endpoint with its delivery log.',
        params: IdParams,
        response: { 204: Type.Null(), ...withNotFound },
      },
    },
    async (request, reply) => {
      await deleteEndpoint(deps, await admin(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/admin/webhooks/:id/rotate-secret',
    {
      schema: {
        ...common,
        summary: 'A new secret; the old one keeps signing for 24 hours.',
        params: IdParams,
        response: { 200: EndpointWithSecretJson, ...withNotFound },
      },
    },
    async (request) => {
      const rotated = await rotateSecret(
        deps,
        await admin(request),
        request.params.id,
      );
      request.log.info(
        { endpointId: rotated.endpoint.id },
        'webhook secret rotated',
      );
      return { ...rotated.endpoint, secret: rotated.secret };
    },
  );

  app.post(
    '/admin/webhooks/:id/test',
    {
      schema: {
        ...common,
        summary: 'Queue a report.test event to this endpoint.',
        description:
          "The body has the list shape with the org's newest report (or none).",
        params: IdParams,
        response: { 202: TestEventJson, ...withNotFound },
      },
    },
    async (request, reply) => {
      const orgId = await admin(request);
      const queued = await sendTestEvent(deps, orgId, request.params.id);
      return reply.code(202).send(queued);
    },
  );

  app.get(
    '/admin/webhooks/:id/deliveries',
    {
      schema: {
        ...common,
        summary: "The endpoint's deliveries, newest first, with attempts.",
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryListJson, ...withNotFound },
      },
    },
    async (request) => {
      const orgId = await admin(request);
      const rows = await endpointDeliveries(
        deps,
        orgId,
        request.params.id,
        request.query.limit ?? 50,
      );
      return { deliveries: rows.map(toDeliveryJson) };
    },
  );

  app.post(
    '/admin/deliveries/:id/redeliver',
    {
      schema: {
        ...common,
        summary: 'Send a delivery again, with the same webhook-id.',
        params: IdParams,
        response: { 202: DeliveryJson, ...withNotFound },
      },
    },
    async (request, reply) => {
      const orgId = await admin(request);
      const row = await redeliverDelivery(deps, orgId, request.params.id);
      return reply.code(202).send(toDeliveryJson(row));
    },
  );
};
