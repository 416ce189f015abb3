// Structured JSON logs (pino); the level comes from config.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** `destination` defaults to stdout; tests pass a stream to read the lines back. */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      // Belt and braces: request logs leave headers out, but nothing logs a secret by accident.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'queueToken',
          '*.queueToken',
          'adminToken',
          '*.adminToken',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
