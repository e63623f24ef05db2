// Structured logs on stderr: quiet by default (warnings and errors), everything with --verbose.
// Secrets never reach here: callers log ids, paths and counts, and the redact list catches mistakes.
import pino from 'pino';

export const log = pino(
  {
    level: process.env.DURABLE_INGEST_LOG_LEVEL ?? 'warn',
    redact: {
      paths: [
        '*.apiToken',
        '*.password',
        '*.token',
        '*.oauthToken',
        '*.unstructuredApiKey',
        '*.embeddingApiKey',
        '*.authorization',
      ],
      censor: '[secret]',
    },
  },
  pino.destination(2),
);

export function setVerbose(verbose: boolean): void {
  if (verbose) log.level = 'debug';
}
