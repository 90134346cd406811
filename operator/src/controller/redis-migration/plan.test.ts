import assert from 'node:assert/strict';
import { nextMigrationStep, type ConsumerState } from './plan.js';
import { parseRedisTarget, consumerEndpoints, endpointSyntaxProblems } from './endpoints.js';

const state = (name: string, stale: boolean, rolledOut = true): ConsumerState => ({
  name,
  desiredHash: 'new',
  liveHash: stale ? 'old' : 'new',
  rolledOut,
});
const all = ['backend-listener', 'backend-cron', 'backend-worker', 'system-app', 'system-sidekiq', 'system-sphinx'];

describe('redis migration: order of rolls (operator.md §4.4)', () => {
  it('rolls the first stale consumer in the fixed order, one at a time', () => {
    assert.deepEqual(nextMigrationStep(all.map((n) => state(n, true))), { kind: 'roll', consumer: 'backend-listener' });
    const afterListener = all.map((n, i) => state(n, i > 0, i !== 0));
    assert.deepEqual(nextMigrationStep(afterListener), { kind: 'wait', consumer: 'backend-listener', stale: all.slice(1) });
    const listenerDone = all.map((n, i) => state(n, i > 0));
    assert.deepEqual(nextMigrationStep(listenerDone), { kind: 'roll', consumer: 'backend-cron' });
  });
  it('is idle when nothing is stale, even while a workload rolls out for another reason', () => {
    assert.deepEqual(nextMigrationStep(all.map((n) => state(n, false, n !== 'system-app'))), { kind: 'idle' });
  });
  it('treats an absent marker (adopted workload) as stale', () => {
    assert.deepEqual(nextMigrationStep([{ name: 'system-sphinx', desiredHash: 'h', liveHash: undefined, rolledOut: true }]), {
      kind: 'roll',
      consumer: 'system-sphinx',
    });
  });
});

describe('redis migration: endpoints', () => {
  it('parses URLs with a lone userinfo as the password and sentinel host entries', () => {
    assert.deepEqual(parseRedisTarget('redis://secret@host:6380/3'), { host: 'host', port: 6380, db: 3, password: 'secret' });
    assert.deepEqual(parseRedisTarget('redis://:pw@mymaster/5'), { host: 'mymaster', port: 6379, db: 5, password: 'pw' });
    assert.deepEqual(parseRedisTarget(':spw@10.0.0.1:26379', 26379), { host: '10.0.0.1', port: 26379, db: 0, password: 'spw' });
  });
  it('lists what each consumer reads and names secret and key of a bad value, never the value', () => {
    const values = {
      'backend-redis': { REDIS_STORAGE_URL: 'redis://a/0', REDIS_QUEUES_URL: 'http://oops', REDIS_STORAGE_SENTINEL_ROLE: 'leader' },
      'system-redis': { URL: 'redis://b/1', MESSAGE_BUS_URL: '' },
    };
    assert.deepEqual(
      consumerEndpoints('system-sphinx', values).map((e) => e.urlKey),
      ['URL'],
    );
    assert.deepEqual(
      consumerEndpoints('system-app', values).map((e) => `${e.secret}/${e.urlKey}`),
      ['backend-redis/REDIS_STORAGE_URL', 'system-redis/URL'],
    );
    const problems = consumerEndpoints('backend-worker', values).flatMap(endpointSyntaxProblems);
    assert.deepEqual(
      problems.map((p) => `${p.secret}/${p.key}`),
      ['backend-redis/REDIS_STORAGE_SENTINEL_ROLE', 'backend-redis/REDIS_QUEUES_URL'],
    );
    assert.ok(problems.every((p) => !p.reason.includes('oops')));
  });
});
