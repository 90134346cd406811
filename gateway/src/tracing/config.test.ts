import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { APICAST_BIN, REPO_ROOT } from '../../test-support/gateway-process.js';
import { parseSettings, SettingsError } from '../settings.js';
import { resolveTracingConfig } from './config.js';

const NO_ENV = { tracesEndpoint: undefined, endpoint: undefined, serviceName: undefined };

/** The example APIcast documents for the nginx module (host/port, batch, service name). */
const APICAST_EXAMPLE = `
# "otlp" is the only supported exporter in APIcast
exporter = "otlp"
processor = "batch"
[exporters.otlp]
# Alternatively the OTEL_EXPORTER_OTLP_ENDPOINT environment variable can also be used.
host = "jaeger.example"
port = 4317
# use_ssl = true
[processors.batch]
max_queue_size = 100
schedule_delay_millis = 250
max_export_batch_size = 50
[service]
name = "apicast-staging" # Opentelemetry resource name
`;

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'otel-config-')), 'otel.toml');
  writeFileSync(path, text);
  return path;
}

describe('tracing: OPENTELEMETRY_CONFIG', () => {
  it('reads the nginx-module example APIcast documents', () => {
    const config = resolveTracingConfig(APICAST_EXAMPLE, NO_ENV);
    // host/port is the nginx module's OTLP/gRPC exporter, as in APIcast.
    assert.equal(config.protocol, 'grpc');
    assert.equal(config.endpoint, 'http://jaeger.example:4317');
    assert.equal(config.serviceName, 'apicast-staging');
    assert.deepEqual(config.batch, { maxQueueSize: 100, scheduleDelayMillis: 250, maxExportBatchSize: 50 });
    assert.deepEqual(config.notes, []);
  });

  it('use_ssl switches to https; port defaults to 4317; an explicit endpoint (OTLP/HTTP) wins over host/port', () => {
    assert.equal(resolveTracingConfig('[exporters.otlp]\nhost = "c"\nport = 443\nuse_ssl = true', NO_ENV).endpoint, 'https://c:443');
    assert.equal(resolveTracingConfig('[exporters.otlp]\nhost = "c"', NO_ENV).endpoint, 'http://c:4317');
    const explicit = resolveTracingConfig('[exporters.otlp]\nendpoint = "http://x:1/v1/traces"\nhost = "c"', NO_ENV);
    assert.deepEqual([explicit.protocol, explicit.endpoint], ['http/protobuf', 'http://x:1/v1/traces']);
  });

  it('OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL picks gRPC or HTTP for the OTEL_ endpoints; anything else is refused', () => {
    const grpc = resolveTracingConfig(undefined, { ...NO_ENV, endpoint: 'http://col:4317', protocol: 'grpc' });
    assert.deepEqual([grpc.protocol, grpc.endpoint], ['grpc', 'http://col:4317']);
    assert.equal(resolveTracingConfig(undefined, { ...NO_ENV, protocol: 'grpc' }).endpoint, 'http://localhost:4317');
    assert.equal(
      resolveTracingConfig(undefined, { ...NO_ENV, endpoint: 'http://col:4318', protocol: 'http/protobuf' }).endpoint,
      'http://col:4318/v1/traces',
    );
    assert.throws(
      () => resolveTracingConfig(undefined, { ...NO_ENV, protocol: 'http/json' }),
      /OTLP protocol "http\/json" is not supported/,
    );
    const settings = parseSettings({
      OPENTELEMETRY: '1',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4317',
    });
    assert.deepEqual([settings.opentelemetry?.protocol, settings.opentelemetry?.endpoint], ['grpc', 'http://otel:4317']);
  });

  it('falls back to the standard OTEL_ variables, then to localhost:4318 and the name apicast', () => {
    assert.equal(resolveTracingConfig(undefined, { ...NO_ENV, endpoint: 'http://col:4318/' }).endpoint, 'http://col:4318/v1/traces');
    assert.equal(
      resolveTracingConfig(undefined, { ...NO_ENV, tracesEndpoint: 'http://t:9/traces', endpoint: 'http://col:4318' }).endpoint,
      'http://t:9/traces',
    );
    assert.equal(resolveTracingConfig('', { ...NO_ENV, serviceName: 'gw' }).serviceName, 'gw');
    const defaults = resolveTracingConfig(undefined, NO_ENV);
    assert.equal(defaults.endpoint, 'http://localhost:4318/v1/traces');
    assert.equal(defaults.serviceName, 'apicast');
  });

  it('accepts processor "simple" with a note (always batched)', () => {
    const config = resolveTracingConfig('processor = "simple"', NO_ENV);
    assert.match(config.notes.join('\n'), /simple/);
  });

  for (const [text, reason] of [
    ['exporter = "zipkin"', /exporter "zipkin" is not supported/],
    ['exporter = otlp', /line 1: unsupported value otlp/],
    ['[exporters.otlp]\nport = "x"', /port must be an integer/],
    ['[exporters.otlp]\nport = 70000', /TCP port/],
    ['just words', /line 1: expected "key = value"/],
    ['[processors.batch]\nmax_queue_size = 10\nmax_export_batch_size = 20', /must not exceed/],
    ['[exporters.otlp]\nendpoint = "ftp://x"', /not an http\(s\) URL/],
  ] as const) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => resolveTracingConfig(text, NO_ENV), reason);
    });
  }
});

describe('tracing: settings', () => {
  it('is off without OPENTELEMETRY, and says so when only the config is set', () => {
    assert.equal(parseSettings({}).opentelemetry, undefined);
    const settings = parseSettings({ OPENTELEMETRY_CONFIG: '/nonexistent' });
    assert.equal(settings.opentelemetry, undefined);
    assert.match(settings.notices.join('\n'), /OPENTELEMETRY_CONFIG is set but OPENTELEMETRY is not/);
  });

  it('OPENTELEMETRY=1 with a config file resolves it', () => {
    const settings = parseSettings({ OPENTELEMETRY: '1', OPENTELEMETRY_CONFIG: file(APICAST_EXAMPLE) });
    assert.equal(settings.opentelemetry?.endpoint, 'http://jaeger.example:4317');
  });

  it('a missing or unparsable OPENTELEMETRY_CONFIG is a SettingsError naming the variable and the reason', () => {
    assert.throws(
      () => parseSettings({ OPENTELEMETRY: '1', OPENTELEMETRY_CONFIG: '/nonexistent/otel.toml' }),
      (error: unknown) =>
        error instanceof SettingsError &&
        error.variable === 'OPENTELEMETRY_CONFIG' &&
        /cannot read \/nonexistent\/otel.toml: ENOENT/.test(error.message),
    );
    const bad = file('exporter = "otlp"\n[exporters.otlp\n');
    assert.throws(
      () => parseSettings({ OPENTELEMETRY: 'true', OPENTELEMETRY_CONFIG: bad }),
      (error: unknown) =>
        error instanceof SettingsError && error.message.startsWith('OPENTELEMETRY_CONFIG: ') && error.message.includes('line 2'),
    );
    assert.throws(() => parseSettings({ OPENTELEMETRY: 'maybe' }), /OPENTELEMETRY: "maybe" is not a boolean/);
  });

  it('OPENTRACING_* are accepted with one notice naming the OpenTelemetry replacement', () => {
    const settings = parseSettings({ OPENTRACING_TRACER: 'jaeger', OPENTRACING_CONFIG: '/x.json', OPENTRACING_FORWARD_HEADER: 'x-trace' });
    const notes = settings.notices.filter((n) => n.includes('OPENTRACING'));
    assert.equal(notes.length, 1);
    assert.match(
      notes[0],
      /OPENTRACING_TRACER, OPENTRACING_CONFIG, OPENTRACING_FORWARD_HEADER are accepted but ignored.*OPENTELEMETRY=1 and OPENTELEMETRY_CONFIG/,
    );
    assert.equal(settings.opentracing.tracer, 'jaeger');
  });
});

describe('tracing: a bad OPENTELEMETRY_CONFIG stops the gateway process at boot', () => {
  for (const [what, path, reason] of [
    ['missing', '/nonexistent/otel.toml', /cannot read \/nonexistent\/otel.toml: ENOENT/],
    ['unparsable', file('exporter = "otlp"\nport 4318\n'), /line 2: expected "key = value"/],
  ] as const) {
    it(`${what}: exit 1, naming the variable and the reason`, () => {
      const result = spawnSync(process.execPath, [APICAST_BIN], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 20_000,
        env: { PATH: process.env.PATH ?? '', OPENTELEMETRY: '1', OPENTELEMETRY_CONFIG: path, THREESCALE_CONFIG_FILE: '/nonexistent.json' },
      });
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /apicast: invalid environment: OPENTELEMETRY_CONFIG: /);
      assert.match(result.stderr, reason);
    });
  }
});
