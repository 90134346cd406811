/**
 * OPENTELEMETRY_CONFIG: the file APIcast hands to the nginx OpenTelemetry
 * module (TOML: `exporter`, `processor`, `[exporters.otlp]`,
 * `[processors.batch]`, `[service]`), read at boot so that a bad file stops
 * the gateway with the variable named, like every other bad setting.
 * No SDK is imported here: settings.ts parses this whether tracing is on or not.
 */
import { readFileSync } from 'node:fs';

export type OtlpProtocol = 'grpc' | 'http/protobuf';

export interface TracingConfig {
  /** How spans travel: OTLP/gRPC (APIcast's nginx module, `host`/`port`) or OTLP/HTTP with protobuf. */
  readonly protocol: OtlpProtocol;
  /** gRPC: `http(s)://host:port`; HTTP: the traces URL (…/v1/traces). */
  readonly endpoint: string;
  readonly serviceName: string;
  readonly batch: { readonly maxQueueSize: number; readonly scheduleDelayMillis: number; readonly maxExportBatchSize: number };
  /** Lines for the boot log: keys we accept but do not act on. */
  readonly notes: readonly string[];
}

type TomlValue = string | number | boolean;
type TomlTables = Map<string, Map<string, TomlValue>>;

/**
 * The subset of TOML the nginx module's examples use: `[a.b]` tables and
 * `key = "string" | integer | true/false`, `#` comments. Anything else is an
 * error with its line number, so a typo is not silently ignored.
 */
export function parseToml(text: string): TomlTables {
  let current = new Map<string, TomlValue>();
  const tables: TomlTables = new Map([['', current]]);
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = stripComment(raw).trim();
    if (line === '') return;
    const where = `line ${index + 1}`;
    const table = /^\[\s*([A-Za-z0-9_.-]+)\s*\]$/.exec(line);
    if (table) {
      current = tables.get(table[1]) ?? new Map<string, TomlValue>();
      tables.set(table[1], current);
      return;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
    if (!pair) throw new Error(`${where}: expected "key = value" or "[table]", got "${line}"`);
    current.set(pair[1], parseValue(pair[2].trim(), where));
  });
  return tables;
}

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') quoted = !quoted;
    else if (line[i] === '#' && !quoted) return line.slice(0, i);
  }
  return line;
}

function parseValue(raw: string, where: string): TomlValue {
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) throw new Error(`${where}: unterminated string ${raw}`);
    return JSON.parse(raw) as string;
  }
  if (raw.startsWith("'")) {
    if (raw.length < 2 || !raw.endsWith("'")) throw new Error(`${where}: unterminated string ${raw}`);
    return raw.slice(1, -1);
  }
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^[+-]?\d[\d_]*$/.test(raw)) return Number(raw.replace(/_/g, ''));
  throw new Error(`${where}: unsupported value ${raw} (strings, integers and booleans only)`);
}

export interface TracingEnv {
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the full traces URL (OTel spec). */
  tracesEndpoint: string | undefined;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: base URL, `/v1/traces` is appended for HTTP (OTel spec). */
  endpoint: string | undefined;
  /** OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL (OTel spec; default http/protobuf). */
  protocol?: string | undefined;
  serviceName: string | undefined;
}

const DEFAULT_HTTP_ENDPOINT = 'http://localhost:4318/v1/traces';
const DEFAULT_GRPC_ENDPOINT = 'http://localhost:4317';
// The nginx module's and the OTel SDK's batch defaults.
const DEFAULT_BATCH = { maxQueueSize: 2048, scheduleDelayMillis: 5000, maxExportBatchSize: 512 };

function str(table: Map<string, TomlValue> | undefined, key: string): string | undefined {
  const value = table?.get(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`${key} must be a string`);
  return value;
}

function int(table: Map<string, TomlValue> | undefined, key: string, fallback: number, min: number): number {
  const value = table?.get(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new Error(`${key} must be an integer >= ${min}`);
  return value;
}

/**
 * The effective configuration. The endpoint, in order: the file's
 * `[exporters.otlp] endpoint` (an OTLP/HTTP traces URL, our addition), its
 * `host`/`port` (OTLP/gRPC, as the nginx module APIcast uses: port 4317 by
 * default), then the standard OTEL_ variables with their protocol variable,
 * then localhost (4318 for HTTP, 4317 for gRPC).
 */
export function resolveTracingConfig(text: string | undefined, env: TracingEnv): TracingConfig {
  const tables = text === undefined ? new Map<string, Map<string, TomlValue>>() : parseToml(text);
  const top = tables.get('');
  const notes: string[] = [];
  const exporter = str(top, 'exporter') ?? 'otlp';
  if (exporter !== 'otlp') throw new Error(`exporter "${exporter}" is not supported (only "otlp")`);
  const processor = str(top, 'processor') ?? 'batch';
  if (processor !== 'batch' && processor !== 'simple') throw new Error(`processor "${processor}" is not one of batch, simple`);
  // A per-span export would put the collector on the request path's heels; batching never does.
  if (processor === 'simple')
    notes.push('OPENTELEMETRY_CONFIG: processor "simple" is served by the batch processor (spans are never exported on the request path)');
  const otlp = tables.get('exporters.otlp');
  if (otlp?.has('ssl_cert_path')) notes.push('OPENTELEMETRY_CONFIG: ssl_cert_path is ignored; SSL_CERT_FILE / the system CAs are used');

  const { protocol, endpoint } = exportTarget(otlp, env);
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new Error(`exporter endpoint "${endpoint}" is not an http(s) URL`);
  }

  const batchTable = tables.get('processors.batch');
  const batch = {
    maxQueueSize: int(batchTable, 'max_queue_size', DEFAULT_BATCH.maxQueueSize, 1),
    scheduleDelayMillis: int(batchTable, 'schedule_delay_millis', DEFAULT_BATCH.scheduleDelayMillis, 0),
    maxExportBatchSize: int(batchTable, 'max_export_batch_size', DEFAULT_BATCH.maxExportBatchSize, 1),
  };
  if (batch.maxExportBatchSize > batch.maxQueueSize) throw new Error('max_export_batch_size must not exceed max_queue_size');
  const serviceName = str(tables.get('service'), 'name') ?? env.serviceName ?? 'apicast';
  return { protocol, endpoint, serviceName, batch, notes };
}

function exportTarget(otlp: Map<string, TomlValue> | undefined, env: TracingEnv): { protocol: OtlpProtocol; endpoint: string } {
  const endpoint = str(otlp, 'endpoint');
  if (endpoint !== undefined) return { protocol: 'http/protobuf', endpoint };
  if (otlp?.has('host') || otlp?.has('port')) {
    const host = str(otlp, 'host') ?? 'localhost';
    const port = int(otlp, 'port', 4317, 1);
    if (port > 65535) throw new Error('port must be a TCP port (1-65535)');
    const useSsl = otlp.get('use_ssl');
    if (useSsl !== undefined && typeof useSsl !== 'boolean') throw new Error('use_ssl must be true or false');
    return {
      protocol: 'grpc',
      endpoint: `${useSsl === true ? 'https' : 'http'}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`,
    };
  }
  const protocol = env.protocol ?? 'http/protobuf';
  if (protocol !== 'grpc' && protocol !== 'http/protobuf')
    throw new Error(`OTLP protocol "${protocol}" is not supported (grpc or http/protobuf)`);
  if (protocol === 'grpc') return { protocol, endpoint: env.tracesEndpoint ?? env.endpoint ?? DEFAULT_GRPC_ENDPOINT };
  return {
    protocol,
    endpoint:
      env.tracesEndpoint ??
      (env.endpoint === undefined ? undefined : `${env.endpoint.replace(/\/+$/, '')}/v1/traces`) ??
      DEFAULT_HTTP_ENDPOINT,
  };
}

/** Reads and resolves the file; errors say what is wrong, the caller names the variable. */
export function loadTracingConfig(file: string | undefined, env: TracingEnv): TracingConfig {
  let text: string | undefined;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
  }
  try {
    return resolveTracingConfig(text, env);
  } catch (error) {
    throw new Error(`${file ?? 'configuration'}: ${(error as Error).message}`, { cause: error });
  }
}
