import assert from 'node:assert/strict';
import { storageSeconds } from './cache-control.js';

const base = { status: 200, cacheControl: undefined, expires: undefined, setCookie: false, vary: undefined };
const codes = [200, 302];

describe('content_caching storage lifetime (policies.md §5.7)', () => {
  it('uses APICAST_CACHE_MAX_TIME for a listed status without cache headers', () => {
    assert.equal(storageSeconds(base, codes, 60), 60);
    assert.equal(storageSeconds({ ...base, status: 404 }, codes, 60), 0);
  });

  it('honours max-age / s-maxage and refuses no-cache, no-store, private', () => {
    assert.equal(storageSeconds({ ...base, cacheControl: 'public, max-age=5' }, codes, 60), 5);
    assert.equal(storageSeconds({ ...base, cacheControl: 'max-age=5, s-maxage=9' }, codes, 60), 9);
    for (const cc of ['no-cache', 'no-store', 'private, max-age=100', 'max-age=0']) {
      assert.equal(storageSeconds({ ...base, cacheControl: cc }, codes, 60), 0, cc);
    }
  });

  it('honours Expires and treats an invalid date as expired', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(storageSeconds({ ...base, expires: 'Thu, 01 Jan 2026 00:00:30 GMT' }, codes, 60, now), 30);
    assert.equal(storageSeconds({ ...base, expires: '0' }, codes, 60, now), 0);
  });

  it('never stores responses with Set-Cookie or Vary: *', () => {
    assert.equal(storageSeconds({ ...base, setCookie: true }, codes, 60), 0);
    assert.equal(storageSeconds({ ...base, vary: 'Accept, *' }, codes, 60), 0);
  });
});
