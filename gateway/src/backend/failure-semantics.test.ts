/**
 * Backend failure semantics (gateway.md §4.5, §4.7; policies.md §5.4), every
 * cell against the real gateway process and a recording fake backend per
 * cell: APICAST_BACKEND_CACHE_HANDLER (default strict, resilient) and the
 * caching policy's caching_type (strict, resilient, allow, none) before and
 * after the apicast policy; the backend refusing connections, resetting them,
 * never answering (the gateway's 60 s backend timeout, §4.6), answering
 * 500 / 503, or answering bytes that are not HTTP; after a cached
 * authorization, after a cached denial, and with nothing cached.
 *
 * Each cell sends the same request repeatedly, each one after the previous
 * one's post-action report ended. The cells run concurrently (the timeout
 * cells take minutes one after the other); one `it` per cell reports it.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { startGatewayProcess, type GatewayUnderTest } from '../../test-support/gateway-process.js';
import { stopAll } from '../../test-support/teardown.js';
import { asError } from '../shared/errors.js';

const TOKEN = 'svc-token';
const OK = 200;
const DENIED = 403;

type Failure = 'refused' | 'reset' | 'timeout' | '499' | '500' | '503' | 'garbage';
const FAILURES: readonly Failure[] = ['refused', 'reset', 'timeout', '499', '500', '503', 'garbage'];
/** 'authorized': one good request before the outage; 'denied': one denied request before; 'fresh': nothing before. */
type Prime = 'authorized' | 'denied' | 'fresh';
const PRIMES: readonly Prime[] = ['authorized', 'denied', 'fresh'];

/** Semantics a cell must show (gateway.md §4.7 table). envResilient = APICAST_BACKEND_CACHE_HANDLER=resilient without the policy. */
type Semantics = 'strict' | 'resilient' | 'allow' | 'none' | 'envResilient';
type FailureKind = 'noAnswer' | 'status5xx' | 'status499';

function kindOf(failure: Failure): FailureKind {
  if (failure === '499') return 'status499';
  return failure === '500' || failure === '503' ? 'status5xx' : 'noAnswer';
}

/**
 * Client statuses per semantics, per kind of failure: "no answer" (refused, reset, timeout, garbage = status 0),
 * a 5xx, or a 499 (unavailable for the decision, yet a valid answer the caching policy stores: §5.4).
 * authorized/denied: the request before the outage, then two during it; fresh: two during it.
 */
const EXPECTED: Record<Semantics, Record<FailureKind, Record<Prime, number[]>>> = {
  // The hit is served, its report fails and deletes the entry, the next request is checked synchronously.
  strict: {
    noAnswer: { authorized: [OK, OK, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status5xx: { authorized: [OK, OK, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status499: { authorized: [OK, OK, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
  },
  // The last answer the backend gave decides for as long as it is down.
  resilient: {
    noAnswer: { authorized: [OK, OK, OK], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status5xx: { authorized: [OK, OK, OK], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status499: { authorized: [OK, OK, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
  },
  // Everything is let through during an outage unless the last answer was a denial.
  allow: {
    noAnswer: { authorized: [OK, OK, OK], denied: [DENIED, DENIED, DENIED], fresh: [OK, OK] },
    status5xx: { authorized: [OK, OK, OK], denied: [DENIED, DENIED, DENIED], fresh: [OK, OK] },
    status499: { authorized: [OK, OK, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
  },
  // Nothing cached: every request asks the backend.
  none: {
    noAnswer: { authorized: [OK, DENIED, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status5xx: { authorized: [OK, DENIED, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status499: { authorized: [OK, DENIED, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
  },
  // The env quirk: status 0 (< 500) is stored over the cached 200; a 5xx keeps it.
  envResilient: {
    noAnswer: { authorized: [OK, OK, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status5xx: { authorized: [OK, OK, OK], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
    status499: { authorized: [OK, OK, DENIED], denied: [DENIED, DENIED, DENIED], fresh: [DENIED, DENIED] },
  },
};

interface Variant {
  /** Which gateway process: the env handler it runs with. */
  env: 'default' | 'resilient';
  caching?: { type: 'strict' | 'resilient' | 'allow' | 'none'; position: 'before' | 'after' };
  semantics: Semantics;
}

const VARIANTS: Variant[] = [
  { env: 'default', semantics: 'strict' },
  ...(['strict', 'resilient', 'allow', 'none'] as const).flatMap((type) =>
    (['before', 'after'] as const).map((position): Variant => ({ env: 'default', caching: { type, position }, semantics: type })),
  ),
  { env: 'resilient', semantics: 'envResilient' },
  // The policy wins over the env handler, wherever it is in the chain.
  { env: 'resilient', caching: { type: 'strict', position: 'after' }, semantics: 'strict' },
  { env: 'resilient', caching: { type: 'resilient', position: 'before' }, semantics: 'resilient' },
];

interface Cell {
  id: number;
  host: string;
  variant: Variant;
  failure: Failure;
  prime: Prime;
  backend: FakeBackend;
  statuses: number[];
  error?: unknown;
}

function describeCell(cell: Cell): string {
  const v = cell.variant;
  const handler = v.caching ? `caching ${v.caching.type} ${v.caching.position} apicast` : 'no caching policy';
  return `env ${v.env === 'default' ? 'unset (strict)' : 'resilient'}, ${handler}: backend ${cell.failure} after ${cell.prime === 'fresh' ? 'nothing cached' : `a cached ${cell.prime === 'authorized' ? 'authorization' : 'denial'}`}`;
}

function serviceOf(cell: Cell, upstream: TestUpstream): unknown {
  const chain: unknown[] = [{ name: 'apicast' }];
  const caching = cell.variant.caching;
  if (caching) {
    const entry = { name: 'caching', configuration: { caching_type: caching.type } };
    if (caching.position === 'before') chain.unshift(entry);
    else chain.push(entry);
  }
  return {
    id: cell.id,
    backend_version: '1',
    backend_authentication_type: 'service_token',
    backend_authentication_value: TOKEN,
    proxy: {
      hosts: [cell.host],
      api_backend: upstream.url,
      backend: { endpoint: cell.backend.url },
      proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
      policy_chain: chain,
    },
  };
}

/** Puts the cell's backend into its failure mode. */
async function fail(cell: Cell): Promise<void> {
  const b = cell.backend;
  switch (cell.failure) {
    case 'refused':
      await b.stop();
      break;
    case 'reset':
      b.down = true;
      break;
    case 'timeout':
      b.hang = true;
      break;
    case '499':
      b.failWith = 499;
      break;
    case '500':
      b.failWith = 500;
      break;
    case '503':
      b.failWith = 503;
      break;
    case 'garbage':
      b.garbage = true;
      break;
  }
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Waits until the backend call the last request caused (synchronous authrep or post-action report) ended,
 * so the next request sees the cache as the handler left it. A call the fake answers is awaited directly,
 * a hung one until the gateway's timeout closed it; then a margin for the gateway to run its cache handler.
 * A refused connection leaves no trace on the fake, nor does a connection reset as soon as it is accepted
 * (the fake records only calls it read): the margin alone covers those (they fail within milliseconds).
 */
async function settle(cell: Cell, sent: number, failingSent: number): Promise<void> {
  const b = cell.backend;
  const traceless = failingSent > 0 && (cell.failure === 'refused' || cell.failure === 'reset');
  if (!traceless) {
    await waitUntil(() => b.callsOf('authrep').length >= sent, `backend call ${sent} of ${describeCell(cell)}`, 30_000);
  }
  if (failingSent > 0 && cell.failure === 'timeout') {
    await waitUntil(() => b.abandoned >= failingSent, 'the gateway to give up on the hung backend', 150_000);
  }
  await sleep(1000);
}

async function get(gateway: GatewayUnderTest, cell: Cell, userKey: string): Promise<number> {
  const response = await request(`${gateway.url}/thing?user_key=${userKey}`, {
    headers: { host: cell.host },
    headersTimeout: 200_000,
    bodyTimeout: 200_000,
  });
  await response.body.dump();
  return response.statusCode;
}

async function runCell(gateway: GatewayUnderTest, cell: Cell): Promise<void> {
  const userKey = cell.prime === 'denied' ? 'suspended-key' : 'good-key';
  let sent = 0;
  if (cell.prime !== 'fresh') {
    cell.statuses.push(await get(gateway, cell, userKey));
    await settle(cell, ++sent, 0);
  }
  await fail(cell);
  let failingSent = 0;
  while (cell.statuses.length < (cell.prime === 'fresh' ? 2 : 3)) {
    cell.statuses.push(await get(gateway, cell, userKey));
    await settle(cell, ++sent, ++failingSent);
  }
}

describe('backend failure semantics: cache handlers × failures × cached state (gateway.md §4.7)', function () {
  const cells: Cell[] = [];
  const gateways = new Map<Variant['env'], GatewayUnderTest>();
  let upstream: TestUpstream;

  before(async function () {
    // The timeout cells wait for the gateway's 60 s backend timeout, twice in a row at most.
    this.timeout(400_000);
    upstream = await TestUpstream.start();
    let id = 1;
    for (const variant of VARIANTS) {
      for (const failure of FAILURES) {
        for (const prime of PRIMES) {
          const backend = await FakeBackend.start({
            serviceTokens: { [String(id)]: TOKEN },
            applications: [{ user_key: 'good-key' }, { user_key: 'suspended-key', active: false }],
          });
          cells.push({ id, host: `cell${id}.test`, variant, failure, prime, backend, statuses: [] });
          id++;
        }
      }
    }
    for (const env of ['default', 'resilient'] as const) {
      const services = cells.filter((c) => c.variant.env === env).map((c) => serviceOf(c, upstream));
      gateways.set(
        env,
        await startGatewayProcess({
          config: { services },
          env: { APICAST_LOG_LEVEL: 'error', ...(env === 'resilient' ? { APICAST_BACKEND_CACHE_HANDLER: 'resilient' } : {}) },
        }),
      );
    }
    await Promise.all(
      cells.map(async (cell) => {
        try {
          await runCell(gateways.get(cell.variant.env)!, cell);
        } catch (error) {
          cell.error = error;
        }
      }),
    );
  });

  after(async () => {
    await Promise.all([...gateways.values()].map((g) => g.stop()));
    await Promise.all(cells.filter((c) => c.failure !== 'refused').map((c) => c.backend.stop()));
    await stopAll(upstream);
  });

  for (const variant of VARIANTS) {
    for (const failure of FAILURES) {
      for (const prime of PRIMES) {
        const expected = EXPECTED[variant.semantics][kindOf(failure)][prime];
        const probe = { variant, failure, prime } as Cell;
        it(`${describeCell(probe)} ⇒ ${expected.join(', ')}`, () => {
          const cell = cells.find((c) => c.variant === variant && c.failure === failure && c.prime === prime)!;
          if (cell.error) throw asError(cell.error);
          assert.deepEqual(cell.statuses, expected);
          // The backend saw one authrep per request (synchronous, or the post-action report of a hit);
          // a refused connection reaches nothing, a reset one may be retried once (§4.6).
          if (failure !== 'refused' && failure !== 'reset') assert.equal(cell.backend.callsOf('authrep').length, expected.length);
        });
      }
    }
  }
});
