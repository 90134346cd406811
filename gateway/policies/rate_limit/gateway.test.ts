import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { startRedis, type RedisServer } from '../../../test/support/redis.js';

const limited = (name: string, extra: Record<string, unknown> = {}) => ({
  name: 'rate_limit',
  configuration: { fixed_window_limiters: [{ key: { name, scope: 'global' }, count: 3, window: 60 }], ...extra },
});

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

  it('in memory with 2 workers: the limit holds across workers (never limit × workers)', async () => {
    const gw = await startPolicyGateway([{ id: 1, host: 'rl.test', chain: [limited('workers'), { name: 'apicast' }] }], { env: { APICAST_WORKERS: '2' } });
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
    before(async () => { redis = await startRedis(); });
    after(async () => { await redis?.stop(); });

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
});
