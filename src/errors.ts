/**
 * The error catalogue: every error a client can see has a stable code, an
 * HTTP status and a default message here, and nowhere else. Contract part 1
 * lists the codes; a test checks that each one is documented in docs/api.md.
 */

export const errorCatalogue = {
  missing_parameter: {
    status: 400,
    message: 'A required parameter is missing.',
  },
  invalid_parameter: {
    status: 400,
    message: 'A parameter has an invalid value.',
  },
  invalid_version: {
    status: 400,
    message: 'The version is not a valid version.',
  },
  version_filter_required: {
    status: 400,
    message: 'Give at least one of version, minver or maxver.',
  },
  invalid_version_range: {
    status: 400,
    message: 'minver is above maxver, so nothing can match.',
  },
  too_many_reports: {
    status: 400,
    message: 'At most 100 report IDs can be downloaded at once.',
  },
  invalid_page_token: {
    status: 400,
    message: 'The pageToken is not one this server issued.',
  },
  invalid_request: {
    status: 400,
    message: 'The HTTP request is malformed.',
  },
  invalid_body: { status: 400, message: 'The request body is malformed.' },
  invalid_bundle: {
    status: 400,
    message: 'The SonarQube bundle is not valid.',
  },
  missing_project_version: {
    status: 400,
    message:
      'The analysis has no project version: set projectVersion in the ' +
      'bundle, or sonar.projectVersion in the SonarQube analysis.',
  },
  invalid_upload: { status: 400, message: 'The upload is not valid.' },
  unknown_standard: {
    status: 400,
    message: 'The security standard is not one Report Hub knows.',
  },
  webhook_url_not_allowed: {
    status: 400,
    message: 'The webhook URL points at an address that is not allowed.',
  },
  unauthorized: {
    status: 401,
    message: 'A valid bearer token is required.',
  },
  forbidden: {
    status: 403,
    message: 'This token may not do that.',
  },
  not_found: { status: 404, message: 'Nothing is here.' },
  request_timeout: {
    status: 408,
    message: 'The request did not arrive in time.',
  },
  conflict: { status: 409, message: 'That conflicts with what is stored.' },
  payload_too_large: { status: 413, message: 'The upload is too large.' },
  unsupported_media_type: {
    status: 415,
    message: 'This endpoint does not take that media type.',
  },
  rate_limited: {
    status: 429,
    message: 'Too many requests at once; retry after Retry-After seconds.',
  },
  headers_too_large: {
    status: 431,
    message: 'The request headers are too large.',
  },
  internal_error: {
    status: 500,
    message: 'Something went wrong on our side.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** An error a client may see, with its catalogue code. */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly parameter: string | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { parameter?: string; cause?: unknown } = {},
  ) {
    super(message ?? errorCatalogue[code].message, { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.parameter = options.parameter;
  }

  /** The JSON body the contract promises for this error. */
  toBody(): { code: ErrorCode; message: string; parameter?: string } {
    const body: { code: ErrorCode; message: string; parameter?: string } = {
      code: this.code,
      message: this.message,
    };
    if (this.parameter !== undefined) body.parameter = this.parameter;
    return body;
  }
}

export function isHubError(error: unknown): error is HubError {
  return error instanceof HubError;
}
