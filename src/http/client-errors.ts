/**
 * Answers requests Node's HTTP parser rejects before Fastify sees them (a
 * bad Content-Length, an unknown method, oversized headers). Node only tells
 * us through the server's `clientError` event, with the raw socket: the
 * answer is written by hand, in the contract's error shape, with the
 * `x-request-id` every response carries.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { HubError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';

/** What Node attaches to a parser error (`reason` is llhttp's text). */
interface ClientError extends Error {
  code?: string;
  reason?: string;
}

/** Parser errors about how the body is framed, rather than the request. */
const bodyFramingCodes = new Set([
  'HPE_INVALID_CONTENT_LENGTH',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
  'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_INVALID_CHUNK_SIZE',
]);

function reasonOf(error: ClientError): string {
  const reason = (error.reason ?? '').replace(/\.$/, '');
  return reason ? `: ${reason}.` : '.';
}

function toHubError(error: ClientError, maxHeaderBytes: number): HubError {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const mib = maxHeaderBytes / (1024 * 1024);
    return new HubError(
      'headers_too_large',
      `The request line and headers are over ${mib} MiB.`,
    );
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new HubError('request_timeout');
  }
  const code: ErrorCode = bodyFramingCodes.has(error.code ?? '')
    ? 'invalid_body'
    : 'invalid_request';
  const what = code === 'invalid_body' ? "body's framing" : 'request';
  return new HubError(code, `The HTTP ${what} is malformed${reasonOf(error)}`);
}

function rawResponse(hubError: HubError, requestId: string): string {
  const body = JSON.stringify(hubError.toBody());
  return [
    `HTTP/1.1 ${hubError.status} ${STATUS_CODES[hubError.status]}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-request-id: ${requestId}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

/** Node keeps the response being written on the socket, unexported. */
function responseUnderWay(socket: Socket): boolean {
  const current = (socket as { _httpMessage?: { headersSent?: boolean } })
    ._httpMessage;
  return current?.headersSent === true;
}

/** The server's `clientError` listener. */
export function clientErrorHandler(options: {
  log: Logger;
  newRequestId: () => string;
  maxHeaderBytes: number;
}): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    // A reset or an already closed socket has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;

    const hubError = toHubError(error, options.maxHeaderBytes);
    const requestId = options.newRequestId();
    options.log.info(
      { reqId: requestId, code: hubError.code, parserCode: error.code },
      'request rejected',
    );
    // As Node does by default: answer unless a response is already under
    // way on this connection (our bytes would corrupt it), then drop the
    // connection, since the parser cannot tell where a next request starts.
    if (socket.writable && !responseUnderWay(socket)) {
      socket.write(rawResponse(hubError, requestId));
    }
    socket.destroy();
  };
}
