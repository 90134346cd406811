import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startRedis, startSentinelGroup } from './redis.js';

describe('test support: real Redis servers', function () {
  this.timeout(60_000);

  it('starts a redis-server on a free loopback port that answers commands', async () => {
    const server = await startRedis();
    const client = new Redis(server.port, server.host, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      await client.set('greeting', 'hello');
      assert.equal(await client.get('greeting'), 'hello');
    } finally {
      client.disconnect();
      await server.stop();
    }
    assert.equal(server.process.hasExited, true);
  });

  it('starts a sentinel group whose master moves on failover', async () => {
    const group = await startSentinelGroup();
    try {
      assert.equal(await group.currentMasterPort(), group.master.port);
      const newMaster = await group.failover();
      assert.equal(newMaster, group.replica.port);
    } finally {
      await group.stop();
    }
  });
});
