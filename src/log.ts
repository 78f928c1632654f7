/**
 * The one logging policy. Levels: `error` for faults we must fix (5xx,
 * dispatcher crashes), `warn` for degraded states (a delivery given up),
 * `info` for lifecycle and client errors (4xx, aborted downloads), `debug`
 * for detail. Messages are fixed strings; data goes into fields. Secrets,
 * tokens and bodies are never logged; the redact list is a second net.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'secret',
  'token',
  'password',
  '*.secret',
  '*.token',
  '*.password',
];

export function createLogger(
  level = 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}
