/**
 * rate_limit with its Redis gone: the client gets the configured status and
 * the default error page, never the Redis error text (addresses, ioredis
 * messages); the log has it, without the URL's password.
 */
import assert from 'node:assert/strict';
import { startPolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { startRedis } from '../../../test/support/redis.js';

const WINDOW = 1_000_000_000;
const LEAKS = /redis|ECONNREFUSED|ECONNRESET|127\.0\.0\.1|connect|Connection is closed|s3cret/i;

describe('rate_limit errors never leak the Redis error to the client', function () {
  this.timeout(60_000);

  it('Redis stopped after the gateway used it: configured status, default error page, no Redis text', async () => {
    const redis = await startRedis({ password: 's3cret' });
    const url = redis.url.replace('redis://', 'redis://:s3cret@');
    const gw = await startPolicyGateway([
      {
        id: 1,
        host: 'rl.test',
        chain: [
          {
            name: 'rate_limit',
            configuration: {
              redis_url: url,
              configuration_error: { status_code: 503 },
              fixed_window_limiters: [{ key: { name: 'down', scope: 'global' }, count: 100, window: WINDOW }],
            },
          },
          { name: 'apicast' },
        ],
      },
    ]);
    try {
      assert.equal((await gw.request('rl.test', '/?user_key=k')).status, 200);
      await redis.stop();
      for (let i = 0; i < 3; i++) {
        const answer = await gw.request('rl.test', '/?user_key=k');
        assert.equal(answer.status, 503);
        assert.match(answer.body, /<title>503 Service Unavailable<\/title>/);
        assert.doesNotMatch(answer.body.replace(/<[^>]+>/g, ''), LEAKS, answer.body);
        assert.doesNotMatch(JSON.stringify(Object.values(answer.headers)), /redis|ECONN|127\.0\.0\.1|s3cret/i);
      }
      assert.match(gw.gateway.process.logs(), /rate_limit: limiter store failed/);
      assert.doesNotMatch(gw.gateway.process.logs(), /s3cret/);
    } finally {
      await gw.stop();
    }
  });

  it('Redis never reachable: the default 500 error page only', async () => {
    const gw = await startPolicyGateway([
      {
        id: 1,
        host: 'rl.test',
        chain: [
          {
            name: 'rate_limit',
            configuration: {
              redis_url: 'redis://127.0.0.1:1',
              fixed_window_limiters: [{ key: { name: 'never', scope: 'global' }, count: 100, window: WINDOW }],
            },
          },
          { name: 'apicast' },
        ],
      },
    ]);
    try {
      const answer = await gw.request('rl.test', '/?user_key=k');
      assert.equal(answer.status, 500);
      assert.doesNotMatch(answer.body.replace(/<[^>]+>/g, ''), LEAKS, answer.body);
      assert.equal(gw.upstream.requests.length, 0);
    } finally {
      await gw.stop();
    }
  });
});
