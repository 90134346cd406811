/**
 * `make reliability`: the kinds of bad input tried against the gateway, with
 * crash / hang / leak counts (all must be 0), and the reload figures.
 *
 * - In process: fast-check samples of every fuzz family (test-support/fuzz)
 *   through the real code (rule compiler + matcher, configuration manager,
 *   Liquid, request parsing, every builtin policy's factory). Crash = an
 *   exception other than the family's typed rejection; hang = one input over
 *   1 s (5 s for a policy build).
 * - Against the gateway process: every raw hostile shape (malformed,
 *   smuggling, limits, CRLF through Liquid, traversal through rewriting)
 *   ROUNDS times, interleaved with good requests. Crash = the process exited
 *   or a good request failed; hang = no answer in 10 s; leak = worker RSS or
 *   descriptors above the start after the run settled (RSS: +32 MiB margin
 *   for the heap's own growth, descriptors: +5).
 * - Reloads: a closed loop of good requests for RELIABILITY_SECONDS (default
 *   20) with a SIGHUP reload every 2 s, against the same loop without
 *   reloads: failed requests and p99.
 */
import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { compileRule, MappingRuleError, ruleMatches } from '../../gateway/src/mapping/rule.js';
import { compileLiquid, LiquidRenderError } from '../../gateway/src/shared/liquid/engine.js';
import { escapeUri, normalizePath, splitTarget } from '../../gateway/src/http/uri.js';
import { Args } from '../../gateway/src/http/args.js';
import { HeaderMap } from '../../gateway/src/http/header-map.js';
import { parseSettings } from '../../gateway/src/settings.js';
import { silentLogger } from '../../gateway/src/logging/logger.js';
import { noopHooks } from '../../gateway/src/telemetry/hooks.js';
import { PolicyRegistry } from '../../gateway/src/chain/registry.js';
import { InMemoryConfigurationStore } from '../../gateway/src/config/store.js';
import { ConfigurationManager } from '../../gateway/src/config/manager.js';
import { ConfigurationError } from '../../gateway/src/config/errors.js';
import { createServiceFilter } from '../../gateway/src/config/filter.js';
import {
  liquidArb,
  mutatedConfigurationArb,
  pathArb,
  patternArb,
  rawHeadersArb,
  targetArb,
} from '../../gateway/test-support/fuzz/arbitraries.js';
import { builtinRegistry, buildPolicy, testRuntime } from '../../gateway/test-support/policies/build-policy.js';
import { MALFORMED_SHAPES, SMUGGLING_SHAPES } from '../../gateway/test-support/hostile-shapes.js';
import {
  head,
  processFootprint,
  rawExchange,
  servingPids,
  startHostile,
  USER_KEY,
  type Hostile,
} from '../../gateway/src/http/hostile/harness.js';

interface Row {
  kind: string;
  tried: number;
  crashes: number;
  hangs: number;
  leaks: number | string;
  note?: string;
}
const rows: Row[] = [];
const SAMPLES = Number(process.env.RELIABILITY_SAMPLES ?? 500);
const ROUNDS = Number(process.env.RELIABILITY_ROUNDS ?? 20);

async function family<T>(
  kind: string,
  arb: fc.Arbitrary<T>,
  tryOne: (input: T) => unknown,
  expected: (error: unknown) => boolean,
  boundMs = 1000,
): Promise<void> {
  const row: Row = { kind, tried: 0, crashes: 0, hangs: 0, leaks: '-' };
  for (const input of fc.sample(arb, SAMPLES)) {
    row.tried++;
    const started = performance.now();
    try {
      await tryOne(input);
    } catch (error) {
      if (!expected(error)) {
        row.crashes++;
        row.note = String(error).slice(0, 80);
      }
    }
    if (performance.now() - started > boundMs) row.hangs++;
  }
  rows.push(row);
}

async function inProcess(): Promise<void> {
  await family(
    'mapping-rule patterns × crafted paths',
    fc.tuple(patternArb, pathArb),
    ([pattern, path]) => {
      const rule = compileRule({ http_method: 'ANY', pattern, metric_system_name: 'hits', delta: 1 });
      ruleMatches(rule, 'GET', path, undefined);
    },
    (e) => e instanceof MappingRuleError,
  );
  await family(
    'Liquid templates (compile + render)',
    liquidArb,
    (source) => compileLiquid(source, () => undefined).render({ uri: '/a', headers: {} }),
    (e) => e instanceof LiquidRenderError,
  );
  await family(
    'request targets (split, normalize, escape)',
    fc.oneof(targetArb, fc.string({ unit: 'binary', maxLength: 60 })),
    (t) => escapeUri(normalizePath(splitTarget(t).path)),
    () => false,
  );
  await family(
    'query strings',
    fc.oneof(targetArb, fc.string({ maxLength: 80 })),
    (q) => Args.parse(q).getLast('user_key'),
    () => false,
  );
  await family(
    'header lists',
    rawHeadersArb,
    (raw) => HeaderMap.fromRaw(raw).getAll('host'),
    () => false,
  );
  const settings = parseSettings({});
  const registry = await PolicyRegistry.load({ log: silentLogger(), loadPath: [] });
  const manager = new ConfigurationManager(new InMemoryConfigurationStore({ pathRouting: false }), {
    settings,
    registry,
    log: silentLogger(),
    hooks: noopHooks,
    filter: createServiceFilter(settings.servicesList, settings.servicesFilterByUrl),
    runtime: testRuntime(),
  });
  const apply = async (json: unknown) => {
    const r = await manager.apply(json, 'reliability');
    if (!r.ok && !r.error.field) throw new Error('rejection without a field');
  };
  await family('configuration JSON (arbitrary)', fc.jsonValue({ maxDepth: 4 }), apply, () => false);
  await family('configuration JSON (valid, mutated)', mutatedConfigurationArb, apply, () => false);
  const manifests = await (await builtinRegistry()).manifests();
  const names = Object.keys(manifests);
  await family(
    `policy configurations (${names.length} manifests)`,
    fc.tuple(fc.constantFrom(...names), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })),
    async ([name, configuration]) => {
      const p = await buildPolicy(name, configuration);
      await p.dispose?.();
    },
    (e) => e instanceof ConfigurationError && e.field.startsWith('services[0].proxy.policy_chain[0]'),
    5000,
  );
}

async function good(h: Hostile): Promise<boolean> {
  try {
    const r = await request(`${h.gateway.url}/good?user_key=${USER_KEY}`, { headers: { host: 'hostile.test' }, headersTimeout: 10_000 });
    await r.body.dump();
    return r.statusCode === 200;
  } catch {
    return false;
  }
}

async function footprint(h: Hostile): Promise<{ rss: number; fds: number }> {
  const [pid] = await servingPids(h);
  return processFootprint(pid);
}

async function againstGateway(): Promise<void> {
  const liquid = (header: string) => ({ op: 'set', header, value: '{{ uri }}', value_type: 'liquid' });
  const h = await startHostile({
    policyChain: [
      { name: 'headers', configuration: { request: [liquid('X-From-Uri')], response: [liquid('X-Echo-Uri')] } },
      { name: 'url_rewriting', configuration: { commands: [{ op: 'sub', regex: '^/files/', replace: '/static/' }] } },
      { name: 'apicast' },
    ],
    apiBackendPath: '/public/',
    env: { APICAST_LOG_LEVEL: 'warn' },
  });
  try {
    for (let i = 0; i < 50; i++) await good(h);
    const families: [string, [string, string, number][]][] = [
      ['malformed request lines and headers', MALFORMED_SHAPES],
      ['request smuggling shapes', SMUGGLING_SHAPES],
      [
        'huge URLs and headers',
        [
          ['9 KiB URL', `${head(`/${'a'.repeat(9216)}`)}\r\n`, 414],
          ['1 MiB URL', `${head(`/${'a'.repeat(1 << 20)}`)}\r\n`, 414],
          ['40 KiB header', `${head()}X-Big: ${'b'.repeat(40960)}\r\n\r\n`, 431],
          ['900 headers', `${head()}${Array.from({ length: 900 }, (_, i) => `X-H${i}: ${'v'.repeat(32)}\r\n`).join('')}\r\n`, 431],
        ],
      ],
      [
        'CRLF / NUL through Liquid header values',
        ['%0D%0A', '%0A', '%0D', '%00'].map((c): [string, string, number] => [
          c,
          `GET /x${c}X-Injected:%20evil?user_key=${USER_KEY} HTTP/1.1\r\nHost: hostile.test\r\nConnection: close\r\n\r\n`,
          500,
        ]),
      ],
      [
        'path traversal through URL rewriting',
        ['/files/../../etc/passwd', '/files/..%2F..%2Fetc', '/files/%2e%2e/%2e%2e/etc', '/files/.%2e/x'].map(
          (p): [string, string, number] => [
            p,
            `GET ${p}?user_key=${USER_KEY} HTTP/1.1\r\nHost: hostile.test\r\nConnection: close\r\n\r\n`,
            200,
          ],
        ),
      ],
    ];
    // Warm-up: every shape once, unrecorded, so the baseline holds a heap grown to its working size
    // (a 1 MiB URL, 900 headers) and the comparison shows what keeps growing, not the first use.
    for (const [, shapes] of families) for (const [, raw] of shapes) await rawExchange(h.gateway.port, raw, 10_000);
    await sleep(6000); // pooled connections of the warm-up idle out (servers' 5 s keep-alive)
    const start = await footprint(h);
    for (const [kind, shapes] of families) {
      const row: Row = { kind, tried: 0, crashes: 0, hangs: 0, leaks: 0 };
      let unexpected = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const [, raw, status] of shapes) {
          row.tried++;
          const answer = await rawExchange(h.gateway.port, raw, 10_000);
          if (answer.statuses.length === 0 && !answer.closed) row.hangs++;
          else if (answer.statuses[0] !== status) unexpected++;
          if (!(await good(h)) || h.gateway.process.hasExited) row.crashes++;
        }
      }
      if (unexpected) row.note = `${unexpected} unexpected statuses`;
      const escaped = h.upstream.requests.filter(
        (r) =>
          r.url.includes('smuggled') ||
          (!r.url.startsWith('/public/') && !r.url.startsWith('/good')) ||
          r.headers['x-injected'] !== undefined,
      );
      if (escaped.length) row.note = `${row.note ?? ''} ${escaped.length} requests reached the upstream that must not`.trim();
      rows.push(row);
    }
    await sleep(6000);
    const end = await footprint(h);
    const rssLeak = end.rss - start.rss > 32 * 1024 * 1024 ? 1 : 0;
    const fdLeak = end.fds - start.fds > 5 ? 1 : 0;
    rows.push({
      kind: 'worker footprint over the hostile run',
      tried: 1,
      crashes: 0,
      hangs: 0,
      leaks: rssLeak + fdLeak,
      note: `RSS ${(start.rss / 1048576).toFixed(1)} → ${(end.rss / 1048576).toFixed(1)} MiB, fds ${start.fds} → ${end.fds}`,
    });
    await reloads(h);
  } finally {
    await h.stop();
  }
}

function p99(latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN;
}

async function loop(
  h: Hostile,
  seconds: number,
  reloadEveryMs: number | undefined,
): Promise<{ ok: number; failed: number; p99: number; reloads: number }> {
  const latencies: number[] = [];
  let failed = 0;
  let reloads = 0;
  const until = Date.now() + seconds * 1000;
  const reloader = reloadEveryMs
    ? (async () => {
        while (Date.now() < until) {
          await sleep(reloadEveryMs);
          // SIGHUP: the configuration file is read again, validated, compiled and swapped in.
          h.gateway.process.signal('SIGHUP');
          reloads++;
        }
      })()
    : Promise.resolve();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        if (await good(h)) latencies.push(performance.now() - started);
        else failed++;
      }
    }),
  );
  await reloader;
  return { ok: latencies.length, failed, p99: p99(latencies), reloads };
}

async function reloads(h: Hostile): Promise<void> {
  // Two phases of this length (steady, then SIGHUP every 2 s): a couple of minutes of moderate load.
  const seconds = Number(process.env.RELIABILITY_SECONDS ?? 60);
  const cold = await footprint(h);
  const steady = await loop(h, seconds, undefined);
  await sleep(6000); // idle client connections of the load close (servers' 5 s timeout)
  // Compared after the steady phase: by then the gateway holds its kept-alive upstream and backend
  // connections (one per concurrent request, backend ones for 60 s), which are pools, not leaks.
  const before = await footprint(h);
  const reloading = await loop(h, seconds, 2000);
  await sleep(6000);
  const after = await footprint(h);
  console.log(`soak: cold worker RSS ${(cold.rss / 1048576).toFixed(1)} MiB, fds ${cold.fds}`);
  console.log(
    `soak: worker RSS ${(before.rss / 1048576).toFixed(1)} → ${(after.rss / 1048576).toFixed(1)} MiB, fds ${before.fds} → ${after.fds} from the end of the steady phase to the end of the reloads (${reloading.ok} requests, ${reloading.reloads} reloads)`,
  );
  // The heap settles after warm-up; growth beyond half again plus 32 MiB over the soak is a leak, not noise.
  if (after.rss > before.rss * 1.5 + 32 * 1048576)
    rows.push({
      kind: 'worker RSS across the reload soak',
      tried: 1,
      crashes: 0,
      hangs: 0,
      leaks: 1,
      note: `${(before.rss / 1048576).toFixed(1)} → ${(after.rss / 1048576).toFixed(1)} MiB`,
    });
  if (after.fds - before.fds > 5)
    rows.push({
      kind: 'descriptors across the reload soak',
      tried: 1,
      crashes: 0,
      hangs: 0,
      leaks: 1,
      note: `${before.fds} → ${after.fds}`,
    });
  console.log(
    `reloads: ${reloading.reloads} SIGHUP reloads in ${seconds} s; requests failed across reloads: ${reloading.failed} (steady: ${steady.failed}); ` +
      `p99 steady ${steady.p99.toFixed(1)} ms (${steady.ok} requests), p99 while reloading ${reloading.p99.toFixed(1)} ms (${reloading.ok} requests)`,
  );
  if (reloading.failed > 0)
    rows.push({ kind: 'requests across reloads', tried: reloading.ok + reloading.failed, crashes: reloading.failed, hangs: 0, leaks: '-' });
}

export async function run(): Promise<void> {
  await inProcess();
  await againstGateway();
  const width = Math.max(...rows.map((r) => r.kind.length));
  console.log(`${'kind of bad input'.padEnd(width)}  tried  crashes  hangs  leaks`);
  for (const r of rows) {
    console.log(
      `${r.kind.padEnd(width)}  ${String(r.tried).padStart(5)}  ${String(r.crashes).padStart(7)}  ${String(r.hangs).padStart(5)}  ${String(r.leaks).padStart(5)}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  const bad = rows.reduce((n, r) => n + r.crashes + r.hangs + (typeof r.leaks === 'number' ? r.leaks : 0), 0);
  console.log(bad === 0 ? 'reliability: 0 crashes, 0 hangs, 0 leaks' : `reliability: ${bad} problems`);
  if (bad > 0) process.exitCode = 1;
}
