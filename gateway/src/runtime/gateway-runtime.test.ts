import assert from 'node:assert/strict';
import { GatewayRuntime } from './gateway-runtime.js';

describe('gateway runtime: resources owned by one gateway', () => {
  it('creates a resource once per key and closes everything newest first, once', async () => {
    const runtime = new GatewayRuntime();
    const closed: string[] = [];
    let created = 0;
    const a = runtime.own(
      'a',
      () => ({ n: ++created }),
      () => {
        closed.push('a');
      },
    );
    assert.equal(
      runtime.own(
        'a',
        () => ({ n: ++created }),
        () => {
          closed.push('a again');
        },
      ),
      a,
    );
    runtime.own(
      'b',
      () => 'b',
      () => {
        closed.push('b');
      },
    );
    runtime.onClose('flush', () => {
      closed.push('flush');
    });
    assert.equal(created, 1);
    await Promise.all([runtime.close(), runtime.close()]);
    assert.deepEqual(closed, ['flush', 'b', 'a']);
    assert.equal(runtime.has('a'), false);
  });

  it('a failing closer is reported and the others still run; nothing opens after close', async () => {
    const runtime = new GatewayRuntime();
    const closed: string[] = [];
    runtime.own(
      'first',
      () => 1,
      () => {
        closed.push('first');
      },
    );
    runtime.own(
      'broken',
      () => 2,
      () => {
        throw new Error('boom');
      },
    );
    const report = await runtime.close();
    assert.deepEqual(report.failures, [{ key: 'broken', error: 'boom' }]);
    assert.deepEqual(closed, ['first']);
    assert.throws(
      () =>
        runtime.own(
          'late',
          () => 3,
          () => undefined,
        ),
      /runtime is closed: cannot open late/,
    );
  });
});
