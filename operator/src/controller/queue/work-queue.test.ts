import assert from 'node:assert/strict';
import { WorkQueue } from './work-queue.js';

describe('controller: work queue', () => {
  it('deduplicates keys and never hands one key to two workers at once', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    assert.equal(queue.depth, 2);
    const first = await queue.get();
    assert.equal(first, 'a');
    queue.add('a'); // arrives while 'a' is in progress: marked dirty, not queued
    assert.equal(await queue.get(), 'b');
    let third: string | undefined;
    void queue.get().then((k) => {
      third = k;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(third, undefined, 'a is still in progress');
    queue.done('a');
    await new Promise((r) => setImmediate(r));
    assert.equal(third, 'a', 'the dirty key runs again once released');
    queue.shutdown();
  });

  it('backs off exponentially per key and forgets on success', () => {
    const queue = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 1000 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => queue.addRateLimited('k')),
      [100, 200, 400, 800, 1000],
    );
    queue.forget('k');
    assert.equal(queue.addRateLimited('k'), 100);
    queue.shutdown();
  });
});
