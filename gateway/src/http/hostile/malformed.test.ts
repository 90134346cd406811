/**
 * Malformed request lines and headers on raw sockets: each one gets a stable
 * status, never reaches a policy or the upstream, and the gateway keeps
 * serving good requests; nothing logged carries a credential.
 */
import assert from 'node:assert/strict';
import { assertNoCredentialsLogged, assertServing, rawExchange, startHostile, type Hostile } from './harness.js';
import { MALFORMED_SHAPES as SHAPES } from '../../../test-support/hostile-shapes.js';
import { stopAll } from '../../../test-support/teardown.js';

describe('hostile HTTP: malformed request lines and headers', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await stopAll(h);
  });

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
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => rawExchange(h.gateway.port, SHAPES[i % SHAPES.length][1])));
    assert.ok(
      answers.every((a) => a.statuses.length === 1 && a.statuses[0] >= 400 && a.statuses[0] < 500),
      'every one got a 4xx',
    );
    await assertServing(h);
    assertNoCredentialsLogged(h);
  });
});
