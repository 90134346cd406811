/**
 * Request-smuggling shapes (ambiguous framing): the gateway refuses them with
 * 400 and closes the connection, so no second request hidden in the body
 * ever reaches the upstream.
 */
import assert from 'node:assert/strict';
import { assertNoCredentialsLogged, assertServing, head, rawExchange, startHostile, USER_KEY, type Hostile } from './harness.js';

const SMUGGLED = `GET /smuggled?user_key=${USER_KEY} HTTP/1.1\r\nHost: hostile.test\r\n\r\n`;
const post = head(`/front?user_key=${USER_KEY}`, 'POST');

/** [what, raw bytes, status]. Each carries SMUGGLED where a second parser could see a request. */
const SHAPES: [string, string, number][] = [
  ['Content-Length and Transfer-Encoding together', `${post}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
  ['Transfer-Encoding then Content-Length', `${post}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
  ['two different Content-Lengths', `${post}Content-Length: 0\r\nContent-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`, 400],
  ['a Content-Length list', `${post}Content-Length: 0, ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`, 400],
  ['a signed Content-Length', `${post}Content-Length: +0\r\n\r\n${SMUGGLED}`, 400],
  ['a Content-Length with letters', `${post}Content-Length: 0x10\r\n\r\n${SMUGGLED}`, 400],
  ['a chunk size that is not hex', `${post}Transfer-Encoding: chunked\r\n\r\nzz\r\n${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['a negative chunk size', `${post}Transfer-Encoding: chunked\r\n\r\n-1\r\n${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['an overflowing chunk size', `${post}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['a chunk without its CRLF', `${post}Transfer-Encoding: chunked\r\n\r\n3\r\nabcX${SMUGGLED}\r\n0\r\n\r\n`, 400],
  ['chunked not last in Transfer-Encoding', `${post}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
  ['an obfuscated Transfer-Encoding name', `${post}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`, 400],
];

describe('hostile HTTP: request smuggling shapes', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => { h = await startHostile(); });
  after(async () => { await h?.stop(); });

  for (const [what, raw, status] of SHAPES) {
    it(`${what} ⇒ ${status}, connection closed, the hidden request never proxied`, async () => {
      const answer = await rawExchange(h.gateway.port, raw);
      assert.deepEqual(answer.statuses, [status], answer.text);
      assert.equal(answer.closed, true);
      assert.deepEqual(h.upstream.requests.filter((r) => r.url.includes('smuggled')), [], 'no smuggled request reached the upstream');
      await assertServing(h);
    });
  }

  it('a well-framed chunked body is proxied whole and the next pipelined request is a separate one', async () => {
    const before = h.upstream.requests.length;
    const raw = `${post}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n${head(`/second?user_key=${USER_KEY}`)}Connection: close\r\n\r\n`;
    const answer = await rawExchange(h.gateway.port, raw);
    assert.deepEqual(answer.statuses, [200, 200]);
    const seen = h.upstream.requests.slice(before).map((r) => `${r.method} ${r.url.split('?')[0]} ${r.body.toString()}`);
    assert.deepEqual(seen, ['POST /front hello', 'GET /second ']);
    assertNoCredentialsLogged(h);
  });
});
