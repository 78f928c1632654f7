/**
 * Turns anything thrown while answering a request into the contract's error
 * body. Fastify's own errors (validation, body limits, media types) map onto
 * the catalogue; anything unknown becomes `internal_error`, logged once with
 * its cause, and never shows a stack trace or SQL to the client.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HubError, isHubError, type ErrorCode } from '../errors.js';

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: 'invalid_request',
  FST_ERR_MAX_PARAM_LENGTH: 'invalid_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_body',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_PROTO_VIOLATION: 'invalid_upload',
  FST_INVALID_JSON_FIELD_ERROR: 'invalid_upload',
};

/** Messages clearer than the catalogue's default, by Fastify code. */
const fastifyMessages: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL holds a malformed percent-encoding.',
  FST_INVALID_JSON_FIELD_ERROR: 'A multipart field declared as JSON is not.',
};

function parameterOf(issue: ValidationIssue): string | undefined {
  if (issue.keyword === 'required') return String(issue.params.missingProperty);
  const path = issue.instancePath.split('/').filter(Boolean);
  return path[0];
}

function fromValidation(
  issues: ValidationIssue[],
  context: string | undefined,
): HubError {
  const issue = issues[0]!;
  const parameter = parameterOf(issue);
  if (issue.keyword === 'required') {
    return new HubError(
      'missing_parameter',
      `The ${context ?? 'request'} parameter "${parameter}" is required.`,
      { parameter: parameter ?? '' },
    );
  }
  if (issue.keyword === 'additionalProperties' && context !== 'querystring') {
    const extra = String(issue.params.additionalProperty);
    return new HubError('invalid_parameter', `Unknown field "${extra}".`, {
      parameter: extra,
    });
  }
  const where = parameter ? `"${parameter}"` : `the ${context ?? 'request'}`;
  return new HubError(
    'invalid_parameter',
    `${where} ${explain(issue, context)}.`,
    parameter ? { parameter } : {},
  );
}

/** What is wrong, in words for people rather than the validator's. */
function explain(issue: ValidationIssue, context: string | undefined): string {
  const { keyword, params } = issue;
  if (
    keyword === 'type' &&
    params.type === 'string' &&
    context === 'querystring'
  ) {
    // The only way a query value is not text is a repeated parameter.
    return 'must be given once';
  }
  if (keyword === 'type' && params.type === 'integer') {
    return 'must be a whole number';
  }
  if (keyword === 'minimum') return `must be at least ${String(params.limit)}`;
  if (keyword === 'maximum') return `must be at most ${String(params.limit)}`;
  if (keyword === 'const') {
    return `must be ${JSON.stringify(params.allowedValue)}`;
  }
  if (keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]) ?? [];
    return `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `is invalid: ${issue.message ?? 'unexpected value'}`;
}

/** The catalogue error for anything thrown; undefined when it is a fault. */
export function toHubError(error: unknown): HubError | undefined {
  if (isHubError(error)) return error;
  const fastifyError = error as FastifyError & {
    validation?: ValidationIssue[];
    validationContext?: string;
  };
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    return fromValidation(
      fastifyError.validation,
      fastifyError.validationContext,
    );
  }
  const code = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (code) {
    const message = fastifyMessages[fastifyError.code];
    return new HubError(code, message, { cause: error });
  }
  if (fastifyError.statusCode === 400) {
    return new HubError('invalid_body', undefined, { cause: error });
  }
  return undefined;
}

export function sendError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const hubError = toHubError(error);
  if (hubError) {
    request.log.info({ code: hubError.code }, 'request rejected');
    return reply.code(hubError.status).send(hubError.toBody());
  }
  request.log.error({ err: error }, 'request failed');
  const body = new HubError('internal_error').toBody();
  return reply.code(500).send({ ...body, requestId: request.id });
}
