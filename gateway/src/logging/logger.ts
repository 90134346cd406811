/**
 * The error log (gateway.md §1.6, §10): pino JSON lines on stderr (or
 * APICAST_LOG_FILE) at APICAST_LOG_LEVEL. nginx levels map onto pino's.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../settings.js';
import { logLineWritten } from '../telemetry/hooks.js';

const PINO_LEVEL: Record<LogLevel, pino.Level> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  error: 'error',
  crit: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
};

export function createLogger(level: LogLevel, file?: string): Logger {
  const destination =
    file && file !== '/dev/stderr'
      ? pino.destination({ dest: file, sync: false, mkdir: true })
      : pino.destination({ dest: 2, sync: false });
  return pino(
    {
      level: PINO_LEVEL[level],
      base: { pid: process.pid },
      redact: { paths: ['user_key', 'app_key', 'access_token', 'authorization'], censor: '***' },
      // nginx_error_log{level} (gateway.md §7): every line written is counted by the metrics sink.
      hooks: {
        logMethod(args, method, levelNumber) {
          logLineWritten(pino.levels.labels[levelNumber] ?? 'error');
          method.apply(this, args);
        },
      },
    },
    destination,
  );
}

/** A silent logger for unit tests of pure parts. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
