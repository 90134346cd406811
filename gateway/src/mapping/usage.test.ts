import assert from 'node:assert/strict';
import { Usage } from './usage.js';

describe('usage', () => {
  it('merges deltas and drops metrics that end ≤ 0 (a delta-0 rule vanishes)', () => {
    const usage = Usage.of([['hits', 1]]);
    usage.merge(
      Usage.of([
        ['hits', 2],
        ['zero', 0],
        ['neg', -1],
      ]),
    );
    assert.equal(usage.encode(), 'usage%5Bhits%5D=3');
    assert.equal(new Usage().merge(Usage.of([['hits', 0]])).isEmpty, true);
  });

  it('encodes metric names', () => {
    assert.equal(Usage.of([['a b', 1]]).encode(), 'usage%5Ba%20b%5D=1');
  });
});
