/**
 * The few log methods the operations modules need. A pino logger satisfies it
 * (`logger.warn('text')`), and so does a test's recording array.
 */
import type { Logger } from 'pino';

export interface LogSink {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A pino logger as a LogSink (messages only). */
export function logSink(log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>): LogSink {
  return {
    debug: (m) => {
      log.debug(m);
    },
    info: (m) => {
      log.info(m);
    },
    warn: (m) => {
      log.warn(m);
    },
    error: (m) => {
      log.error(m);
    },
  };
}

export const silentLog: LogSink = { debug() {}, info() {}, warn() {}, error() {} };

/** A sink that keeps every line, for tests and for the bench. */
export function recordingLog(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
  };
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
