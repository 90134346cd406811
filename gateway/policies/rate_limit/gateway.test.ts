import assert from 'node:assert/strict';
import { serviceJson, startPolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { startRedis, startSentinelGroup, type RedisServer } from '../../../test/support/redis.js';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopAll } from '../../test-support/teardown.js';

const limited = (name: string, extra: Record<string, unknown> = {}) => ({
  name: 'rate_limit',
  configuration: { fixed_window_limiters: [{ key: { name, scope: 'global' }, count: 3, window: WINDOW }], ...extra },
});

/** Fixed windows start at now − now % window: a huge window keeps a test run away from a window boundary. */
const WINDOW = 1_000_000_000;

describe('rate_limit policy through the real gateway', function () {
  this.timeout(60_000);

  it('in memory: the 4th request in the window gets 429 with the default error page and never reaches the upstream', async () => {
    const gw = await startPolicyGateway([{ id: 1, host: 'rl.test', chain: [limited('mem'), { name: 'apicast' }] }]);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await gw.request('rl.test', '/?user_key=k')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const rejected = await gw.request('rl.test', '/?user_key=k');
      assert.match(rejected.body, /<title>429 Too Many Requests<\/title>/);
      assert.equal(gw.upstream.requests.length, 3);
    } finally {
      await gw.stop();
    }
  });

  it('in memory: counters survive a configuration reload (SIGHUP)', async () => {
    const limiter = (count: number) => ({
      name: 'rate_limit',
      configuration: { fixed_window_limiters: [{ key: { name: 'reload', scope: 'global' }, count, window: WINDOW }] },
    });
    const gw = await startPolicyGateway([{ id: 1, host: 'rl.test', chain: [limiter(3), { name: 'apicast' }] }]);
    try {
      assert.equal((await gw.request('rl.test', '/?user_key=k')).status, 200);
      assert.equal((await gw.request('rl.test', '/?user_key=k')).status, 200);
      // New configuration: limit 4, plus a probe service that tells when the reload is live.
      await gw.gateway.writeConfig({
        services: [
          serviceJson({ id: 1, host: 'rl.test', chain: [limiter(4), { name: 'apicast' }] }, gw.upstream.url),
          serviceJson(
            { id: 2, host: 'probe.test', chain: [{ name: 'maintenance_mode', configuration: { status: 418 } }] },
            gw.upstream.url,
          ),
        ],
      });
      gw.gateway.process.signal('SIGHUP');
      const deadline = Date.now() + 10_000;
      while ((await gw.request('probe.test', '/')).status !== 418) {
        if (Date.now() > deadline) throw new Error('the reload never became active');
        await sleep(100);
      }
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await gw.request('rl.test', '/?user_key=k')).status);
      // The count (2) survived the reload: two more pass under the new limit of 4.
      assert.deepEqual(statuses, [200, 200, 429, 429]);
      assert.equal(gw.upstream.requests.length, 4);
    } finally {
      await gw.stop();
    }
  });

  it('in memory with 2 workers: the limit holds across workers (never limit × workers)', async () => {
    const gw = await startPolicyGateway([{ id: 1, host: 'rl.test', chain: [limited('workers'), { name: 'apicast' }] }], {
      env: { APICAST_WORKERS: '2' },
    });
    try {
      // Concurrent requests spread over both workers' connections.
      const statuses = await Promise.all(Array.from({ length: 12 }, () => gw.request('rl.test', '/?user_key=k').then((r) => r.status)));
      assert.equal(statuses.filter((s) => s === 200).length, 3, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 429).length, 9);
    } finally {
      await gw.stop();
    }
  });

  describe('with Redis', () => {
    let redis: RedisServer;
    before(async () => {
      redis = await startRedis();
    });
    after(async () => {
      await stopAll(redis);
    });

    it('two gateways sharing a redis_url share one counter', async () => {
      const chain = [limited('shared', { redis_url: redis.url }), { name: 'apicast' }];
      const a = await startPolicyGateway([{ id: 1, host: 'rl.test', chain }]);
      const b = await startPolicyGateway([{ id: 1, host: 'rl.test', chain }]);
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) {
          statuses.push((await a.request('rl.test', '/?user_key=k')).status);
          statuses.push((await b.request('rl.test', '/?user_key=k')).status);
        }
        assert.deepEqual(statuses, [200, 200, 200, 429, 429, 429]);
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  });

  describe('with Redis Sentinel', () => {
    it('a failover in the middle of traffic: answers stay 200/429 or the Redis-error 500, never over the limit, and the gateway follows the new master', async () => {
      const group = await startSentinelGroup();
      const probe = new Redis({ host: '127.0.0.1', port: group.master.port });
      let gw: Awaited<ReturnType<typeof startPolicyGateway>> | undefined;
      try {
        const deadline = Date.now() + 30_000;
        while (!/slave0:.*state=online/.test(await probe.info('replication'))) {
          if (Date.now() > deadline) throw new Error('replica never came online');
          await sleep(200);
        }
        const count = 30;
        gw = await startPolicyGateway([
          {
            id: 1,
            host: 'rl.test',
            chain: [
              {
                name: 'rate_limit',
                configuration: {
                  redis_url: group.url,
                  fixed_window_limiters: [{ key: { name: 'sentinel', scope: 'global' }, count, window: WINDOW }],
                },
              },
              { name: 'apicast' },
            ],
          },
        ]);
        const statuses: number[] = [];
        const send = async () => statuses.push((await gw!.request('rl.test', '/?user_key=k')).status);
        for (let i = 0; i < 10; i++) await send();
        const failover = group.failover();
        for (let i = 0; i < 10; i++) await send();
        await failover;
        const afterFailover = statuses.length;
        const until = Date.now() + 40_000;
        while (statuses.at(-1) !== 429 && Date.now() < until) {
          await send();
          if (statuses.at(-1) === 500) await sleep(100);
        }
        const summary = statuses.join(',');
        assert.ok(
          statuses.every((s) => s === 200 || s === 429 || s === 500),
          summary,
        );
        const allowed = statuses.filter((s) => s === 200).length;
        assert.ok(allowed <= count, `never over the limit: ${allowed} > ${count}: ${summary}`);
        assert.ok(statuses.slice(afterFailover).includes(200), `traffic passes again after the failover: ${summary}`);
        assert.equal(statuses.at(-1), 429, `the limit is enforced through the new master: ${summary}`);
        assert.equal(gw.upstream.requests.length, allowed, 'exactly the allowed requests reached the upstream');
      } finally {
        probe.disconnect();
        await gw?.stop();
        await group.stop();
      }
    });
  });
});
