/**
 * Ingest (contract part 2): SonarQube bundles and finished reports, each
 * with an org's bearer token.
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { reportListBody, ReportListJson } from '../../domain/report-json.js';
import { HubError, isHubError } from '../../errors.js';
import type { BundleFormat } from '../../ingest/build.js';
import { defaultBundleLimits } from '../../ingest/bundle.js';
import {
  builtToStore,
  persistReports,
  type FileToStore,
} from '../../ingest/persist.js';
import {
  readMetadata,
  uploadedFile,
  uploadToReport,
  type UploadMetadata,
} from '../../ingest/upload.js';
import type { SaveResult } from '../../store/reports.js';
import { Admission } from '../admission.js';
import { callerOf, requireSameOrg, tokenHook } from '../auth.js';
import { requireIdentityEncoding, requireUtf8Json } from '../body-encoding.js';
import { ErrorJson } from '../schemas.js';

const IngestQuery = Type.Object({
  org: Type.Optional(
    Type.String({ description: "Optional: must be the token's org." }),
  ),
});

const errors = {
  400: ErrorJson,
  401: ErrorJson,
  403: ErrorJson,
  413: ErrorJson,
  415: ErrorJson,
  429: ErrorJson,
};

const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed'];

function formatOf(request: FastifyRequest): BundleFormat {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!;
  return ZIP_TYPES.includes(type.trim().toLowerCase()) ? 'zip' : 'json';
}

function answer(orgId: string, result: SaveResult) {
  return {
    status: result.created ? 201 : 200,
    body: reportListBody(orgId, result.reports),
  };
}

export const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, files, config, builder } = app.services;

  // Bundles arrive as raw bytes, JSON or ZIP alike: they are parsed in a
  // worker thread, not on the event loop.
  app.addContentTypeParser(
    ['application/json', ...ZIP_TYPES],
    { parseAs: 'buffer', bodyLimit: config.maxBundleBytes },
    (_request, body, done) => done(null, body),
  );
  app.decorateRequest('caller', null);
  const authenticate = tokenHook(db, ['ingest', 'admin']);
  const admission = new Admission(config.maxConcurrentIngests);
  const refuseEncoded = async (request: FastifyRequest) =>
    requireIdentityEncoding(request);
  const refuseNonUtf8 = async (request: FastifyRequest) =>
    requireUtf8Json(request);

  await app.register(multipart, {
    limits: {
      fileSize: config.maxUploadFileBytes,
      files: 50,
      fields: 10,
      parts: 60,
      fieldSize: 1024 * 1024,
    },
  });

  app.post(
    '/security/report/analysis',
    {
      schema: {
        summary: 'Build reports from a bundle of SonarQube Web API responses.',
        description:
          'Body: the bundle as JSON, or a ZIP of the response files. 201 ' +
          'when a report was created, 200 when all were replaced.',
        tags: ['ingest'],
        security: [{ bearer: [] }],
        querystring: IngestQuery,
        consumes: ['application/json', 'application/zip'],
        response: { 200: ReportListJson, 201: ReportListJson, ...errors },
      },
      // Token first: no body is read for a client that may not send one.
      onRequest: [authenticate, refuseEncoded, refuseNonUtf8, admission.hook],
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireSameOrg(caller, request.query.org);
      if (!Buffer.isBuffer(request.body)) {
        throw new HubError(
          'unsupported_media_type',
          'Send the bundle as application/json or application/zip.',
        );
      }

      const built = await builder.build(
        request.body,
        formatOf(request),
        defaultBundleLimits,
      );
      const result = await persistReports(
        { db, files },
        caller.orgId,
        { projectKey: built.projectKey, projectName: built.projectName },
        builtToStore(built),
      );
      const { status, body } = answer(caller.orgId, result);
      return reply.code(status).send(body);
    },
  );

  app.post(
    '/security/report/upload',
    {
      schema: {
        summary: 'Store a report rendered elsewhere.',
        description:
          'multipart/form-data: a "metadata" JSON part and one or more ' +
          'files (at least one .html or .pdf).',
        tags: ['ingest'],
        security: [{ bearer: [] }],
        querystring: IngestQuery,
        consumes: ['multipart/form-data'],
        response: { 200: ReportListJson, 201: ReportListJson, ...errors },
      },
      onRequest: [authenticate, refuseEncoded, admission.hook],
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireSameOrg(caller, request.query.org);
      if (!request.isMultipart()) {
        throw new HubError(
          'unsupported_media_type',
          'Send the upload as multipart/form-data.',
        );
      }

      const { metadata, uploads } = await readParts(
        request,
        config.maxUploadRequestBytes,
      );
      const report = uploadToReport(metadata, uploads);
      const result = await persistReports(
        { db, files },
        caller.orgId,
        {
          projectKey: metadata.projectKey ?? metadata.projectName,
          projectName: metadata.projectName,
        },
        [report],
      );
      const { status, body } = answer(caller.orgId, result);
      return reply.code(status).send(body);
    },
  );
};

/**
 * busboy reports a malformed body (cut short, a broken part header) as a
 * plain Error; it is the client's fault, never a 500.
 */
function asUploadError(error: unknown): unknown {
  if (isHubError(error) || !(error instanceof Error)) return error;
  if (error.constructor !== Error) return error;
  return new HubError(
    'invalid_upload',
    `The multipart body could not be read: ${error.message}.`,
    { cause: error },
  );
}

function requireBoundary(request: FastifyRequest): void {
  const contentType = request.headers['content-type'] ?? '';
  if (/;\s*boundary=/i.test(contentType)) return;
  throw new HubError(
    'invalid_upload',
    'The Content-Type multipart/form-data needs a boundary parameter.',
  );
}

async function readParts(
  request: FastifyRequest,
  maxRequestBytes: number,
): Promise<{ metadata: UploadMetadata; uploads: FileToStore[] }> {
  requireBoundary(request);
  try {
    return await readEachPart(request, maxRequestBytes);
  } catch (error) {
    throw asUploadError(error);
  }
}

async function readEachPart(
  request: FastifyRequest,
  maxRequestBytes: number,
): Promise<{ metadata: UploadMetadata; uploads: FileToStore[] }> {
  let metadata: UploadMetadata | undefined;
  const uploads: FileToStore[] = [];
  let total = 0;

  const takeMetadata = (text: string) => {
    if (metadata) {
      throw new HubError(
        'invalid_upload',
        'Send one "metadata" part, not two.',
        {
          parameter: 'metadata',
        },
      );
    }
    metadata = readMetadata(text);
  };

  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === 'metadata') takeMetadata(String(part.value));
      continue;
    }
    if (part.fieldname === 'metadata') {
      takeMetadata((await part.toBuffer()).toString('utf8'));
      continue;
    }
    const bytes = await (part as MultipartFile).toBuffer();
    total += bytes.length;
    if (total > maxRequestBytes) {
      throw new HubError(
        'payload_too_large',
        `The files add up to more than ${maxRequestBytes} bytes.`,
      );
    }
    uploads.push(uploadedFile(part.filename, bytes));
  }
  if (!metadata) {
    throw new HubError('invalid_upload', 'The "metadata" part is missing.', {
      parameter: 'metadata',
    });
  }
  return { metadata, uploads };
}
