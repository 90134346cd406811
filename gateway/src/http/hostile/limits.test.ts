/**
 * Huge and numerous headers, huge URLs: 414 / 431 as the spec's limits say
 * (request line > 8 KiB, headers > 32 KiB), before any policy runs; the
 * gateway keeps serving.
 */
import assert from 'node:assert/strict';
import { assertNoCredentialsLogged, assertServing, head, rawExchange, startHostile, USER_KEY, type Hostile } from './harness.js';
import { stopAll } from '../../../test-support/teardown.js';

describe('hostile HTTP: huge and numerous headers, huge URLs', function () {
  this.timeout(60_000);
  let h: Hostile;
  before(async () => {
    h = await startHostile();
  });
  after(async () => {
    await stopAll(h);
  });

  const cases: [string, () => string, number][] = [
    ['a 9 KiB URL', () => `${head(`/${'a'.repeat(9 * 1024)}?user_key=${USER_KEY}`)}\r\n`, 414],
    ['a 1 MiB URL', () => `${head(`/${'a'.repeat(1024 * 1024)}`)}\r\n`, 414],
    ['one 40 KiB header', () => `${head()}X-Big: ${'b'.repeat(40 * 1024)}\r\n\r\n`, 431],
    ['a 1 MiB header', () => `${head()}X-Big: ${'b'.repeat(1024 * 1024)}\r\n\r\n`, 431],
    [
      '900 headers of 40 bytes (over 32 KiB together)',
      () => `${head()}${Array.from({ length: 900 }, (_, i) => `X-H${i}: ${'v'.repeat(32)}\r\n`).join('')}\r\n`,
      431,
    ],
  ];
  for (const [what, raw, status] of cases) {
    it(`${what} ⇒ ${status}, nothing proxied`, async () => {
      const before = h.upstream.requests.length;
      const answer = await rawExchange(h.gateway.port, raw());
      assert.deepEqual(answer.statuses, [status], answer.text.slice(0, 300));
      assert.equal(h.upstream.requests.length, before);
      await assertServing(h);
    });
  }

  it('a request just under both limits is served', async () => {
    const before = h.upstream.requests.length;
    const answer = await rawExchange(
      h.gateway.port,
      `${head(`/${'a'.repeat(7 * 1024)}?user_key=${USER_KEY}`)}X-Big: ${'b'.repeat(24 * 1024)}\r\nConnection: close\r\n\r\n`,
    );
    assert.deepEqual(answer.statuses, [200]);
    assert.equal(h.upstream.requests.length, before + 1);
    assert.equal(h.upstream.last!.headers['x-big'], 'b'.repeat(24 * 1024));
  });

  it('900 small headers under 32 KiB reach the upstream, none dropped', async () => {
    const names = Array.from({ length: 900 }, (_, i) => `x-n${i}`);
    const answer = await rawExchange(h.gateway.port, `${head()}${names.map((n) => `${n}: 1\r\n`).join('')}Connection: close\r\n\r\n`);
    assert.deepEqual(answer.statuses, [200]);
    const received = new Set(Object.keys(h.upstream.last!.headers));
    assert.deepEqual(
      names.filter((n) => !received.has(n)),
      [],
      'headers missing upstream',
    );
    assertNoCredentialsLogged(h);
  });
});
