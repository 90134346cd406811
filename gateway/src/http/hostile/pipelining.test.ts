/**
 * Pipelined requests: answered in order on one connection, each proxied
 * once and in order; a malformed request in the pipeline ends it there.
 */
import assert from 'node:assert/strict';
import { assertNoCredentialsLogged, assertServing, head, rawExchange, startHostile, USER_KEY, type Hostile } from './harness.js';
import { stopAll } from '../../../test-support/teardown.js';

describe('hostile HTTP: pipelining', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await stopAll(h);
  });

  it('50 pipelined requests in one write ⇒ 50 answers in order, each proxied once in order', async () => {
    const before = h.upstream.requests.length;
    const raw = Array.from(
      { length: 50 },
      (_, i) => `${head(`/p${i}?user_key=${USER_KEY}`)}${i === 49 ? 'Connection: close\r\n' : ''}\r\n`,
    ).join('');
    const answer = await rawExchange(h.gateway.port, raw, 20_000);
    assert.deepEqual(answer.statuses, Array(50).fill(200));
    // The echo upstream answers its request target: the order of the bodies is the order of the requests.
    const targets = [...answer.text.matchAll(/"url":"\/p(\d+)\?/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      targets,
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.deepEqual(
      h.upstream.requests.slice(before).map((r) => r.url.split('?')[0]),
      Array.from({ length: 50 }, (_, i) => `/p${i}`),
    );
  });

  it('pipelined requests with bodies keep their framing', async () => {
    const before = h.upstream.requests.length;
    const one = (i: number, last: boolean) =>
      `${head(`/b${i}?user_key=${USER_KEY}`, 'POST')}Content-Length: 6\r\n${last ? 'Connection: close\r\n' : ''}\r\nbody-${i}`;
    const answer = await rawExchange(h.gateway.port, [one(0, false), one(1, false), one(2, true)].join(''), 20_000);
    assert.deepEqual(answer.statuses, [200, 200, 200]);
    assert.deepEqual(
      h.upstream.requests.slice(before).map((r) => r.body.toString()),
      ['body-0', 'body-1', 'body-2'],
    );
  });

  // The parser's 400 currently closes the connection at once, so the answer of a valid request
  // still in flight before the malformed one can be lost (the listener's clientError path).
  it('a malformed request in the pipeline ⇒ 400 and close; the requests after it are never proxied', async () => {
    const raw = `${head(`/first?user_key=${USER_KEY}`)}\r\nBROKEN LINE\r\n\r\n${head(`/after?user_key=${USER_KEY}`)}\r\n`;
    const answer = await rawExchange(h.gateway.port, raw);
    assert.equal(answer.statuses.at(-1), 400, answer.text);
    assert.equal(answer.closed, true);
    assert.deepEqual(
      h.upstream.requests.filter((r) => r.url.startsWith('/after')),
      [],
    );
    await assertServing(h);
    assertNoCredentialsLogged(h);
  });
});
