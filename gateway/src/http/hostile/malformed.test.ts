/**
 * Malformed request lines and headers on raw sockets: each one gets a stable
 * status, never reaches a policy or the upstream, and the gateway keeps
 * serving good requests; nothing logged carries a credential.
 */
import assert from 'node:assert/strict';
import { assertNoCredentialsLogged, assertServing, head, rawExchange, startHostile, USER_KEY, type Hostile } from './harness.js';

const K = `user_key=${USER_KEY}`;

/** [what, raw request, status]. */
const SHAPES: [string, string, number][] = [
  ['not HTTP at all', 'GARBAGE GARBAGE GARBAGE\r\n\r\n', 400],
  ['a request line without a target', 'GET\r\nHost: hostile.test\r\n\r\n', 400],
  ['an unknown HTTP version', `GET /?${K} HTTP/9.9\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a method with illegal characters', `G@T /?${K} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a space inside the target', `GET /a b?${K} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a control character in the target', `GET /a\u0001b?${K} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`, 400],
  ['a header line without a colon', `${head()}NoColonHere\r\n\r\n`, 400],
  ['a space inside a header name', `${head()}Bad Name: x\r\n\r\n`, 400],
  ['a space before the colon', `${head()}X-Thing : x\r\n\r\n`, 400],
  ['a NUL byte in a header value', `${head()}X-Thing: a\u0000b\r\n\r\n`, 400],
  ['obsolete line folding', `${head()}X-Thing: a\r\n  folded\r\n\r\n`, 400],
  ['HTTP/1.1 without Host', `GET /?${K} HTTP/1.1\r\nX-Thing: x\r\n\r\n`, 400],
];

describe('hostile HTTP: malformed request lines and headers', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => { h = await startHostile(); });
  after(async () => { await h?.stop(); });

  for (const [what, raw, status] of SHAPES) {
    it(`${what} ⇒ ${status}, connection closed, nothing proxied`, async () => {
      const before = h.upstream.requests.length;
      const answer = await rawExchange(h.gateway.port, raw);
      assert.deepEqual(answer.statuses, [status], answer.text);
      assert.equal(answer.closed, true, 'the connection is closed after the error');
      assert.equal(h.upstream.requests.length, before, 'the upstream got nothing');
      await assertServing(h);
    });
  }

  it('a burst of 200 malformed connections at once leaves the gateway serving', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => rawExchange(h.gateway.port, SHAPES[i % SHAPES.length]![1])));
    assert.ok(answers.every((a) => a.statuses.length === 1 && a.statuses[0]! >= 400 && a.statuses[0]! < 500), 'every one got a 4xx');
    await assertServing(h);
    assertNoCredentialsLogged(h);
  });
});
