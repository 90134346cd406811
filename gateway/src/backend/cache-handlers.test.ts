import assert from 'node:assert/strict';
import { AuthCache } from './auth-cache.js';
import { allowHandler, envCacheHandler, noneHandler, resilientHandler, strictHandler, type CacheHandler } from './cache-handlers.js';
import type { BackendResponse } from './client.js';

const answer = (status: number): BackendResponse => ({ status, headers: {}, body: '' });

/** Replays gateway.md §4.7's sequences: the cache decides each request, the backend's answer then feeds the handler. */
function replay(handler: CacheHandler, answers: number[], requests: number): number[] {
  const cache = new AuthCache();
  const statuses: number[] = [];
  let next = 0;
  const backend = () => answer(answers[Math.min(next++, answers.length - 1)]);
  for (let i = 0; i < requests; i++) {
    if (cache.get('k') === 200) {
      statuses.push(200);
      handler(cache, 'k', backend()); // post-action report
      continue;
    }
    const response = backend();
    handler(cache, 'k', response);
    const unavailable = response.status === 0 || response.status >= 499;
    statuses.push(unavailable ? (cache.get('k') === 200 ? 200 : 403) : response.status === 200 ? 200 : 403);
  }
  return statuses;
}

describe('authorization cache handlers (gateway.md §4.7 sequences)', () => {
  it('strict: 200 then 5xx forever ⇒ 200, 200, 403', () => {
    assert.deepEqual(replay(strictHandler, [200, 503], 3), [200, 200, 403]);
  });
  it('resilient (caching policy): 200 then 5xx forever ⇒ 200 on every request', () => {
    assert.deepEqual(replay(resilientHandler, [200, 500], 5), [200, 200, 200, 200, 200]);
  });
  it('none: 200, 5xx, 200, 5xx ⇒ 200, 403, 200, 403 (always synchronous)', () => {
    const cache = new AuthCache();
    const statuses = [200, 503, 200, 503].map((s) => {
      noneHandler(cache, 'k', answer(s));
      return cache.get('k') ?? (s === 200 ? 200 : 403);
    });
    assert.deepEqual(statuses, [200, 403, 200, 403]);
  });
  it('allow: 5xx forever ⇒ 200s; 403 then 5xx ⇒ 403s', () => {
    assert.deepEqual(replay(allowHandler, [503], 3), [200, 200, 200]);
    assert.deepEqual(replay(allowHandler, [403, 503], 3), [403, 403, 403]);
  });
  it('env resilient keeps the quirk: a connection failure (0) replaces a cached 200', () => {
    const cache = new AuthCache();
    const handler = envCacheHandler('resilient');
    handler(cache, 'k', answer(200));
    handler(cache, 'k', answer(0));
    assert.equal(cache.get('k'), 0);
    handler(cache, 'k', answer(200));
    handler(cache, 'k', answer(502));
    assert.equal(cache.get('k'), 200, 'a 5xx keeps the entry');
  });
  it('policy resilient and allow store a 499 (valid = 0 < status < 500), which then denies', () => {
    assert.deepEqual(replay(resilientHandler, [200, 499], 3), [200, 200, 403]);
    assert.deepEqual(replay(allowHandler, [499], 2), [403, 403]);
    assert.deepEqual(replay(allowHandler, [200, 500, 499], 4), [200, 200, 200, 403]);
  });
  it('an unknown env handler does nothing', () => {
    const cache = new AuthCache();
    envCacheHandler('bogus')(cache, 'k', answer(200));
    assert.equal(cache.has('k'), false);
  });
});
