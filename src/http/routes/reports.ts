/**
 * The published read API (contract part 1): list reports by version, and
 * download the chosen ones as one streamed ZIP.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { createReportArchive, type ReportArchive } from '../../archive/zip.js';
import {
  ReportListJson,
  reportListBody,
  type ReportListBody,
  stringifyReportList,
} from '../../domain/report-json.js';
import { listReports, type ListPage } from '../../store/report-list.js';
import { findReportsWithFiles } from '../../store/reports.js';
import { ErrorJson } from '../schemas.js';
import {
  decodeCursor,
  encodeCursor,
  readReportIds,
  readUuid,
  readVersionFilter,
} from '../params.js';

const ListQuery = Type.Object({
  org: Type.String({ description: 'Organization ID (UUID, any case).' }),
  version: Type.Optional(Type.String({ description: 'Exact version.' })),
  minver: Type.Optional(
    Type.String({ description: 'Lowest version, inclusive.' }),
  ),
  maxver: Type.Optional(
    Type.String({ description: 'Highest version, inclusive.' }),
  ),
  pageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  ),
  pageToken: Type.Optional(Type.String()),
});

const FilesQuery = Type.Object({
  org: Type.String({ description: 'Organization ID (UUID, any case).' }),
  reports: Type.Array(Type.String(), {
    description: 'Report ID, repeated; 1 to 100, duplicates ignored.',
  }),
});

/**
 * A download whose client reads nothing for this long is dropped: a stalled
 * reader would otherwise hold its files, its socket and shutdown forever.
 */
export const DOWNLOAD_IDLE_TIMEOUT_MS = 60_000;

export interface ReportRoutesOptions {
  downloadIdleTimeoutMs: number;
}

/**
 * Serialized list answers by page. The store hands out the same page object
 * while the org's reports are unchanged (its list cache), so a repeated
 * question is answered with bytes already written, through the same
 * schema-compiled serializer as every other list answer.
 */
const serializedPages = new WeakMap<ListPage, string>();

function listJson(orgId: string, page: ListPage): string {
  let json = serializedPages.get(page);
  if (json === undefined) {
    const next = page.next ? encodeCursor(page.next) : undefined;
    json = stringifyReportList(reportListBody(orgId, page.reports, next));
    serializedPages.set(page, json);
  }
  return json;
}

/** `20251217T090548Z`, the archive's name stamp. */
function fileStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

export const reportRoutes: FastifyPluginAsyncTypebox<
  ReportRoutesOptions
> = async (app, options) => {
  const { db, files } = app.services;

  app.get(
    '/security/report/list',
    {
      schema: {
        summary: 'List reports by product version.',
        tags: ['reports'],
        querystring: ListQuery,
        response: { 200: ReportListJson, 400: ErrorJson },
      },
    },
    async (request, reply) => {
      const { query } = request;
      const orgId = readUuid(query.org, 'org');
      const filter = readVersionFilter(query);
      const after = decodeCursor(query.pageToken);
      const page = await listReports(db, orgId, filter, {
        limit: query.pageSize ?? 100,
        after,
      });
      // A string is sent as it is: it was written by the same serializer
      // the response schema would use.
      const json = listJson(orgId, page) as unknown as ReportListBody;
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );

  const filesSchema = {
    summary: 'Download the chosen reports as one ZIP.',
    description:
      'One folder per report with report.html and report.pdf, and ' +
      'manifest.json at the root. 204 when any ID does not exist in ' +
      'the org.',
    tags: ['reports'],
    querystring: FilesQuery,
    produces: ['application/zip'],
    response: {
      200: Type.String({ format: 'binary', description: 'The ZIP.' }),
      204: Type.Null({ description: 'A requested report does not exist.' }),
      400: ErrorJson,
    },
  };

  /** Checks the request and sets the headers; undefined after a 204. */
  async function prepareArchive(
    query: Static<typeof FilesQuery>,
    reply: FastifyReply,
  ): Promise<ReportArchive | undefined> {
    const orgId = readUuid(query.org, 'org');
    const ids = readReportIds(query.reports);
    const reports = await findReportsWithFiles(db, orgId, ids);
    if (reports.length < ids.length) return undefined;

    const archive = await createReportArchive(files, orgId, reports);
    const name = `security-reports-${fileStamp(new Date())}.zip`;
    reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${name}"`);
    if (archive.size >= 0) reply.header('content-length', archive.size);
    return archive;
  }

  app.get(
    '/security/report/files',
    // Fastify's own HEAD route would run this handler and drain the whole
    // ZIP, reading every stored file, to send no body.
    { schema: filesSchema, exposeHeadRoute: false },
    async (request, reply) => {
      const archive = await prepareArchive(request.query, reply);
      if (!archive) return reply.code(204).send(null);

      reply.raw.setTimeout(options.downloadIdleTimeoutMs, () =>
        reply.raw.destroy(),
      );
      // Streams bypass the response schema, which only documents the body.
      return reply.send(archive.stream as unknown as string);
    },
  );

  app.head(
    '/security/report/files',
    { schema: { ...filesSchema, hide: true } },
    async (request, reply) => {
      const archive = await prepareArchive(request.query, reply);
      if (!archive) return reply.code(204).send(null);

      // yazl has opened the first file already: close it, nobody reads it.
      archive.stream.destroy();
      return reply.send('');
    },
  );
};
