/**
 * Request-smuggling shapes (ambiguous framing): the gateway refuses them with
 * 400 and closes the connection, so no second request hidden in the body
 * ever reaches the upstream.
 */
import assert from 'node:assert/strict';
import { assertNoCredentialsLogged, assertServing, head, rawExchange, startHostile, USER_KEY, type Hostile } from './harness.js';
import { SMUGGLING_SHAPES as SHAPES } from '../../../test-support/hostile-shapes.js';
import { stopAll } from '../../../test-support/teardown.js';

const post = head(`/front?user_key=${USER_KEY}`, 'POST');

describe('hostile HTTP: request smuggling shapes', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await stopAll(h);
  });

  for (const [what, raw, status] of SHAPES) {
    it(`${what} ⇒ ${status}, connection closed, the hidden request never proxied`, async () => {
      const answer = await rawExchange(h.gateway.port, raw);
      assert.deepEqual(answer.statuses, [status], answer.text);
      assert.equal(answer.closed, true);
      assert.deepEqual(
        h.upstream.requests.filter((r) => r.url.includes('smuggled')),
        [],
        'no smuggled request reached the upstream',
      );
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
