/**
 * The access log (gateway.md §10): one line per proxy request,
 * `[$time_local] $host:$server_port $remote_addr:$remote_port "$request" $status $body_bytes_sent ($request_time) $post_action_impact`,
 * with credential query values replaced by `***`. Written through an
 * asynchronous buffered stream so it never blocks the request path.
 */
import { pino } from 'pino';

export interface AccessLogEntry {
  time: Date;
  host: string;
  serverPort: number;
  remoteAddress: string;
  remotePort: number;
  /** "METHOD target HTTP/x.y", already redacted. */
  requestLine: string;
  status: number;
  bytesSent: number;
  requestTime: number;
  postActionTime: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** nginx $time_local: `23/Nov/2026:13:45:01 +0000`. */
export function timeLocal(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${pad(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}:${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

export function formatAccessLine(e: AccessLogEntry): string {
  return `[${timeLocal(e.time)}] ${e.host}:${e.serverPort} ${e.remoteAddress}:${e.remotePort} "${e.requestLine}" ${e.status} ${e.bytesSent} (${e.requestTime.toFixed(3)}) ${e.postActionTime.toFixed(3)}\n`;
}

export interface AccessLog {
  write(entry: AccessLogEntry): void;
  /** A line produced elsewhere (logging policy), written as is. */
  writeRaw(line: string): void;
  flush(): void;
}

export function createAccessLog(file: string, bufferBytes?: number): AccessLog {
  const dest = file === '/dev/stdout' ? 1 : file === '/dev/stderr' ? 2 : file;
  // Batches (below) stay under maxWrite, so sonic-boom hands each to one write.
  const stream = pino.destination({
    dest,
    sync: false,
    minLength: 0,
    maxWrite: Math.max(16_384, (bufferBytes ?? 0) * 2),
    mkdir: typeof dest === 'string',
  });
  if (!bufferBytes) {
    return {
      write(entry) {
        stream.write(formatAccessLine(entry));
      },
      writeRaw(line) {
        stream.write(line);
      },
      flush() {
        try {
          stream.flushSync();
        } catch {
          /* not ready yet */
        }
      },
    };
  }
  // Buffered: lines are batched here and handed over one batch at a time. sonic-boom measures
  // the byte length of its whole pending buffer on every write, which made a per-line write cost
  // grow with the buffer (≈8 µs per request with 64k).
  let pending: string[] = [];
  let pendingLength = 0;
  const handOver = (): void => {
    if (pending.length === 0) return;
    const batch = pending.join('');
    pending = [];
    pendingLength = 0;
    stream.write(batch);
  };
  const add = (line: string): void => {
    pending.push(line);
    pendingLength += line.length;
    if (pendingLength >= bufferBytes) handOver();
  };
  // A buffered log still reaches its file within a second on a quiet gateway (nginx flushes on a timer too).
  setInterval(() => {
    handOver();
    try {
      stream.flush();
    } catch {
      /* not open yet */
    }
  }, 1000).unref();
  return {
    write(entry) {
      add(formatAccessLine(entry));
    },
    writeRaw(line) {
      add(line);
    },
    flush() {
      handOver();
      try {
        stream.flushSync();
      } catch {
        /* not ready yet */
      }
    },
  };
}
