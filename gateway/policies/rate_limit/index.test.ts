import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildPolicy, closeTestRuntime } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';
import { testService } from '../../test-support/policies/test-service.js';
import { startRedis, startSentinelGroup, type RedisServer } from '../../../test/support/redis.js';
import type { Policy } from '../../src/chain/policy.js';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';

/** Runs access (+ log) for one request; returns the exit status or 200 when it passed. */
async function hit(policy: Policy, init: Parameters<typeof testContext>[0] = {}, serviceId = '42'): Promise<number> {
  const ctx = testContext(init);
  ctx.service = testService({ id: serviceId });
  await policy.access!(ctx);
  await policy.log?.(ctx);
  return ctx.exitedWith?.status ?? 200;
}

const unique = () => randomUUID();

/** Fixed windows start at now − now % window: a huge window keeps a test run away from a window boundary. */
const WINDOW = 1_000_000_000;

describe('rate_limit policy (policies.md §5.23)', () => {
  describe('in memory (gateway-wide store)', () => {
    it('fixed window: rejects with 429 past count, per service scope', async () => {
      const name = unique();
      const policy = await buildPolicy('rate_limit', { fixed_window_limiters: [{ key: { name }, count: 2, window: WINDOW }] });
      assert.deepEqual([await hit(policy), await hit(policy), await hit(policy)], [200, 200, 429]);
      assert.equal(await hit(policy, {}, 'other-service'), 200, 'service scope: another service has its own counter');
    });
    it('global scope: one counter for all services and policy instances', async () => {
      const name = unique();
      const config = { fixed_window_limiters: [{ key: { name, scope: 'global' }, count: 2, window: WINDOW }] };
      const a = await buildPolicy('rate_limit', config);
      const b = await buildPolicy('rate_limit', config);
      assert.deepEqual([await hit(a, {}, 's1'), await hit(b, {}, 's2'), await hit(a, {}, 's3')], [200, 200, 429]);
    });
    it('liquid key names: one counter per rendered value', async () => {
      const prefix = unique();
      const policy = await buildPolicy('rate_limit', {
        fixed_window_limiters: [{ key: { name: `${prefix}{{ headers.x_user }}`, name_type: 'liquid' }, count: 1, window: WINDOW }],
      });
      assert.equal(await hit(policy, { headers: { 'X-User': 'a' } }), 200);
      assert.equal(await hit(policy, { headers: { 'X-User': 'b' } }), 200);
      assert.equal(await hit(policy, { headers: { 'X-User': 'a' } }), 429);
    });
    it('conditions select limiters; no condition or empty operations ⇒ always', async () => {
      const policy = await buildPolicy('rate_limit', {
        fixed_window_limiters: [
          {
            key: { name: unique() },
            count: 1,
            window: WINDOW,
            condition: { operations: [{ left: '{{ uri }}', left_type: 'liquid', op: 'matches', right: '^/limited' }] },
          },
          { key: { name: unique() }, count: 3, window: WINDOW, condition: { operations: [] } },
        ],
      });
      assert.equal(await hit(policy, { path: '/limited' }), 200);
      assert.equal(await hit(policy, { path: '/limited' }), 429);
      assert.equal(await hit(policy, { path: '/free' }), 200, 'only the second limiter applies');
      assert.equal(
        await hit(policy, { path: '/free' }),
        200,
        'third count of the second limiter (the rejected /limited one was not counted)',
      );
      assert.equal(await hit(policy, { path: '/free' }), 429);
    });
    it('all-or-nothing: a rejection rolls back increments already made by other limiters', async () => {
      const wide = unique();
      const narrow = unique();
      const policy = await buildPolicy('rate_limit', {
        fixed_window_limiters: [
          { key: { name: wide, scope: 'global' }, count: 2, window: WINDOW },
          {
            key: { name: narrow, scope: 'global' },
            count: 1,
            window: WINDOW,
            condition: { operations: [{ left: '{{ uri }}', left_type: 'liquid', op: '==', right: '/n' }] },
          },
        ],
      });
      assert.equal(await hit(policy, { path: '/n' }), 200);
      assert.equal(await hit(policy, { path: '/n' }), 429);
      // Had the rejected request kept its increment of `wide`, this would be the third one.
      assert.equal(await hit(policy, { path: '/x' }), 200);
    });
    it('limits_exceeded_error: custom status, and log mode lets the request through', async () => {
      const name = unique();
      const custom = await buildPolicy('rate_limit', {
        fixed_window_limiters: [{ key: { name }, count: 1, window: WINDOW }],
        limits_exceeded_error: { status_code: 503 },
      });
      assert.deepEqual([await hit(custom), await hit(custom)], [200, 503]);
      const logOnly = await buildPolicy('rate_limit', {
        fixed_window_limiters: [{ key: { name: unique() }, count: 1, window: WINDOW }],
        limits_exceeded_error: { error_handling: 'log' },
      });
      assert.deepEqual([await hit(logOnly), await hit(logOnly)], [200, 200]);
    });
    it('keeps error settings per instance (the original leaked them between instances)', async () => {
      await buildPolicy('rate_limit', {
        fixed_window_limiters: [{ key: { name: unique() }, count: 1, window: WINDOW }],
        limits_exceeded_error: { status_code: 503 },
      });
      const plain = await buildPolicy('rate_limit', { fixed_window_limiters: [{ key: { name: unique() }, count: 1, window: WINDOW }] });
      assert.deepEqual([await hit(plain), await hit(plain)], [200, 429]);
    });
    it('leaky bucket delays within burst and rejects beyond it', async () => {
      const policy = await buildPolicy('rate_limit', { leaky_bucket_limiters: [{ key: { name: unique() }, rate: 10, burst: 1 }] });
      const t0 = performance.now();
      const timed = async () => {
        const status = await hit(policy);
        return { status, ms: performance.now() - t0 };
      };
      const [a, b, c] = await Promise.all([timed(), timed(), timed()]);
      assert.deepEqual([a.status, b.status, c.status], [200, 200, 429]);
      assert.ok(a.ms < 50, `first not delayed (${a.ms.toFixed(0)} ms)`);
      assert.ok(b.ms >= 80, `second delayed ~100 ms (excess 1 / rate 10), took ${b.ms.toFixed(0)} ms`);
    });
    it('connections: concurrent requests beyond conn+burst are rejected until log releases the slot', async () => {
      const policy = await buildPolicy('rate_limit', { connection_limiters: [{ key: { name: unique() }, conn: 1, burst: 0, delay: 1 }] });
      const first = testContext();
      first.service = testService();
      await policy.access!(first);
      assert.equal(first.exitedWith, undefined);
      assert.equal(await hit(policy), 429, 'a second concurrent request is over the limit');
      await policy.log!(first);
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(await hit(policy), 200, 'after the first finished, a slot is free');
    });
    it('rejects invalid configurations naming the field', async () => {
      await assert.rejects(buildPolicy('rate_limit', { fixed_window_limiters: [{ key: { name: 'x' }, window: 1 }] }), /count/);
      await assert.rejects(buildPolicy('rate_limit', { fixed_window_limiters: [{ key: { name: 'x' }, count: 0, window: 1 }] }), /count/);
      await assert.rejects(
        buildPolicy('rate_limit', { leaky_bucket_limiters: [{ key: { name: 'x', scope: 'world' }, rate: 1 }] }),
        /scope/,
      );
      await assert.rejects(buildPolicy('rate_limit', { redis_url: 'http://localhost' }), /redis_url/);
      await assert.rejects(
        buildPolicy('rate_limit', {
          fixed_window_limiters: [
            { key: { name: 'x' }, count: 1, window: 1, condition: { operations: [{ left: 'a', op: 'matches', right: '(' }] } },
          ],
        }),
        /fixed_window_limiters\[0\]\.condition\.operations\[0\]\.right/,
      );
    });
  });

  describe('with Redis', () => {
    let redis: RedisServer;
    before(async () => {
      redis = await startRedis();
    });
    after(async () => {
      await closeTestRuntime();
      await redis.stop();
    });

    it('shares counters between policy instances (as between gateways) through Redis', async () => {
      const config = {
        redis_url: redis.url,
        fixed_window_limiters: [{ key: { name: unique(), scope: 'global' }, count: 3, window: WINDOW }],
      };
      const gatewayA = await buildPolicy('rate_limit', config);
      const gatewayB = await buildPolicy('rate_limit', config);
      const statuses = [await hit(gatewayA), await hit(gatewayB), await hit(gatewayA), await hit(gatewayB)];
      assert.deepEqual(statuses, [200, 200, 200, 429]);
    });
    it('leaky bucket and connections in Redis', async () => {
      const policy = await buildPolicy('rate_limit', {
        redis_url: redis.url,
        leaky_bucket_limiters: [{ key: { name: unique() }, rate: 1, burst: 0 }],
        connection_limiters: [{ key: { name: unique() }, conn: 5, burst: 0, delay: 1 }],
      });
      assert.deepEqual([await hit(policy), await hit(policy)], [200, 429]);
    });
    it('a Redis that cannot be reached ⇒ configuration_error status (500), or pass with error_handling log', async () => {
      const config = { redis_url: 'redis://127.0.0.1:1', fixed_window_limiters: [{ key: { name: unique() }, count: 1, window: WINDOW }] };
      assert.equal(await hit(await buildPolicy('rate_limit', config)), 500);
      assert.equal(await hit(await buildPolicy('rate_limit', { ...config, configuration_error: { status_code: 503 } })), 503);
      assert.equal(await hit(await buildPolicy('rate_limit', { ...config, configuration_error: { error_handling: 'log' } })), 200);
    });
  });

  describe('with Redis Sentinel (redis+sentinel:// URL)', function () {
    this.timeout(90_000);
    it('follows a failover in the middle of a run: every answer correct or 500, never over the limit', async () => {
      const group = await startSentinelGroup();
      const probe = new Redis({ host: '127.0.0.1', port: group.master.port });
      try {
        // A production group is in sync before traffic: wait for the replica link (diskless sync waits ~5 s).
        const deadline = Date.now() + 30_000;
        while (!/slave0:.*state=online/.test(await probe.info('replication'))) {
          if (Date.now() > deadline) throw new Error('replica never came online');
          await sleep(200);
        }
        const count = 40;
        const policy = await buildPolicy('rate_limit', {
          redis_url: group.url,
          fixed_window_limiters: [{ key: { name: unique(), scope: 'global' }, count, window: WINDOW }],
        });
        const statuses: number[] = [];
        const run = async (n: number) => {
          for (let i = 0; i < n; i++) statuses.push(await hit(policy));
        };
        await run(15);
        const failover = group.failover();
        await run(15);
        const newMaster = await failover;
        assert.notEqual(newMaster, group.master.port);
        const afterFailover = statuses.length;
        // Keep sending until the limit answers again through the new master (the old one resyncs meanwhile).
        const until = Date.now() + 40_000;
        while (statuses.at(-1) !== 429 && Date.now() < until) {
          statuses.push(await hit(policy));
          if (statuses.at(-1) === 500) await sleep(100);
        }
        const summary = statuses.join(',');
        assert.ok(
          statuses.every((s) => s === 200 || s === 429 || s === 500),
          `only documented answers: ${summary}`,
        );
        const allowed = statuses.filter((s) => s === 200).length;
        assert.ok(allowed <= count, `no request over the limit (${allowed} allowed of ${count}): ${summary}`);
        assert.ok(
          statuses.slice(afterFailover).some((s) => s === 200),
          `requests pass again after the failover: ${summary}`,
        );
        assert.equal(statuses.at(-1), 429, `the limit is enforced through the new master without restart: ${summary}`);
      } finally {
        probe.disconnect();
        await closeTestRuntime();
        await group.stop();
      }
    });
  });
});
