import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { EXPORT_FAILURE_LOG_PERIOD_MS, ExportFailureLog } from './otel.js';

function capture(): { log: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => { lines.push(JSON.parse(line) as { level: number; msg: string }); } });
  return { log, lines };
}

describe('tracing: export failures', () => {
  it('logs the first failure, then one summary per period, and the recovery once', () => {
    let now = 1_000_000;
    const { log, lines } = capture();
    const failures = new ExportFailureLog(log, 'http://127.0.0.1:1/v1/traces', () => now);
    for (let i = 0; i < 500; i++) { failures.failed('ECONNREFUSED'); now += 10; }
    assert.equal(lines.length, 1, '500 failures within a minute make one line');
    assert.match(lines[0]!.msg, /exporting spans to http:\/\/127.0.0.1:1\/v1\/traces failed: ECONNREFUSED/);
    now += EXPORT_FAILURE_LOG_PERIOD_MS;
    failures.failed('ECONNREFUSED');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!.msg, /499 more failed exports/);
    failures.succeeded();
    failures.succeeded();
    assert.equal(lines.length, 3);
    assert.match(lines[2]!.msg, /works again/);
  });
});

describe('tracing: no SDK without OPENTELEMETRY', () => {
  // The compiled gateway: only tracing/otel.js may import the SDK, and tracer.ts imports it lazily.
  const gatewayDist = fileURLToPath(new URL('../../', import.meta.url));
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') && !path.endsWith('.test.js') ? [path] : [];
    });
  }

  it('no module of the gateway imports @opentelemetry statically except tracing/otel.js', () => {
    const offenders = files(gatewayDist).filter((file) => !file.endsWith(join('tracing', 'otel.js')))
      .filter((file) => /^\s*import[^;]*from\s*['"]@opentelemetry\//m.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
    assert.match(readFileSync(join(gatewayDist, 'src', 'tracing', 'tracer.js'), 'utf8'), /await import\('\.\/otel\.js'\)/);
  });
});
