/**
 * Bounds how many ingests are under way at once. Each holds its whole body
 * in memory (up to MAX_BUNDLE_BYTES) while a worker thread analyses and
 * renders it; a 150 MB bundle took the server to 1.3 GB. Past the bound a
 * client is told to come back shortly, before its body is read.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from '../errors.js';

const retryAfterSeconds = 5;

export class Admission {
  private inFlight = 0;

  constructor(private readonly limit: number) {}

  /** An onRequest hook: admits the request or answers 429. */
  readonly hook = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> => {
    if (this.inFlight >= this.limit) {
      reply.header('retry-after', String(retryAfterSeconds));
      throw new HubError(
        'rate_limited',
        `${this.limit} ingests are already being processed; ` +
          `retry in ${retryAfterSeconds} seconds.`,
      );
    }
    this.inFlight += 1;
    // 'close' fires once whether the answer was sent or the client left.
    reply.raw.once('close', () => {
      this.inFlight -= 1;
    });
  };
}
