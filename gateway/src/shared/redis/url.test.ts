import assert from 'node:assert/strict';
import { parseRedisUrl, redactRedisUrl, redisUrlFromEnv, RedisUrlError } from './index.js';

describe('shared/redis URLs (spec README "Redis URLs")', () => {
  it('redis://host:port/db with defaults', () => {
    assert.deepEqual(parseRedisUrl('redis://cache:6380/2'), {
      kind: 'standalone',
      host: 'cache',
      port: 6380,
      db: 2,
      username: undefined,
      password: undefined,
    });
    assert.deepEqual(parseRedisUrl('redis://cache'), {
      kind: 'standalone',
      host: 'cache',
      port: 6379,
      db: 0,
      username: undefined,
      password: undefined,
    });
  });
  it('a lone userinfo is the password; user:password and :password also work', () => {
    assert.equal(parseRedisUrl('redis://s3cr%40t@h').password, 's3cr@t');
    assert.equal(parseRedisUrl('redis://s3cret@h').username, undefined);
    assert.deepEqual([parseRedisUrl('redis://bob:pw@h').username, parseRedisUrl('redis://bob:pw@h').password], ['bob', 'pw']);
    assert.deepEqual([parseRedisUrl('redis://:pw@h').username, parseRedisUrl('redis://:pw@h').password], [undefined, 'pw']);
  });
  it('redis+sentinel://[[user]:password@]h1:p1,h2:p2/<master>[/db]', () => {
    assert.deepEqual(parseRedisUrl('redis+sentinel://:pw@s1:26379,s2:26380,s3/mymaster/3'), {
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
        { host: 's3', port: 26379 },
      ],
      masterName: 'mymaster',
      db: 3,
      username: undefined,
      password: 'pw',
    });
  });
  it('rejects bad URLs naming the problem, without echoing the password', () => {
    const bad: [string, RegExp][] = [
      ['http://h', /scheme "http"/],
      ['redis://h:notaport', /port "notaport"/],
      ['redis://h:70000', /out of range/],
      ['redis://h/x', /database "x"/],
      ['redis+sentinel://s1:1', /master name is missing/],
      ['redis+sentinel:///m', /sentinel host/],
      ['not a url', /expected redis:\/\//],
    ];
    for (const [url, reason] of bad)
      assert.throws(
        () => parseRedisUrl(url),
        (e: unknown) => e instanceof RedisUrlError && reason.test(e.message),
        url,
      );
    assert.throws(
      () => parseRedisUrl('redis://topsecret@h:bad'),
      (e: unknown) => e instanceof Error && !e.message.includes('topsecret'),
    );
    assert.equal(redactRedisUrl('redis+sentinel://u:p@s1:1/m'), 'redis+sentinel://***@s1:1/m');
  });
  it('REDIS_URL wins over REDIS_HOST/REDIS_PORT', () => {
    assert.equal(redisUrlFromEnv({ REDIS_URL: 'redis://a', REDIS_HOST: 'b' }), 'redis://a');
    assert.equal(redisUrlFromEnv({ REDIS_HOST: 'b', REDIS_PORT: '7000' }), 'redis://b:7000');
    assert.equal(redisUrlFromEnv({}), undefined);
  });
});
