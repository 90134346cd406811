import assert from 'node:assert/strict';
import { QueryArgs } from './query-args.js';

describe('url_rewriting query-argument multimap (policies.md §4.5)', () => {
  it('push of a new name appends it encoded as a URI component', () => {
    const args = QueryArgs.parse('key=k');
    args.apply('push', 'next', '/v1/x');
    assert.equal(args.serialize(), 'key=k&next=%2Fv1%2Fx');
  });

  it('set replaces every value of a repeated name with one value at its position', () => {
    const args = QueryArgs.parse('a=1&b=2&a=3');
    args.apply('set', 'a', 'z');
    assert.equal(args.serialize(), 'a=z&b=2');
  });

  it('push on an existing name emits its values consecutively at the name position', () => {
    const args = QueryArgs.parse('a=1&b=2');
    args.apply('push', 'a', '3');
    assert.equal(args.serialize(), 'a=1&a=3&b=2');
  });

  it('add only acts on a present name', () => {
    const args = QueryArgs.parse('a=1');
    args.apply('add', 'missing', 'x');
    assert.equal(args.changed, false);
    args.apply('add', 'a', '2');
    assert.equal(args.serialize(), 'a=1&a=2');
  });

  it('delete removes every value; deleting an absent name changes nothing', () => {
    const args = QueryArgs.parse('a=1&b=2&a=3');
    args.apply('delete', 'zz', '');
    assert.equal(args.changed, false);
    args.apply('delete', 'a', '');
    assert.equal(args.serialize(), 'b=2');
  });

  it('decodes + and %XX, keeps flags bare, writes empty values as name=, encodes space as %20', () => {
    const args = QueryArgs.parse('q=a+b%21&flag&e=');
    assert.deepEqual(args.get('q'), ['a b!']);
    assert.deepEqual(args.get('flag'), [null]);
    args.apply('set', 'n', 'x y:?&=+%#');
    assert.equal(args.serialize(), 'q=a%20b!&flag&e=&n=x%20y%3A%3F%26%3D%2B%25%23');
  });

  it('keeps a malformed escape literally instead of throwing', () => {
    const args = QueryArgs.parse('bad=%zz%41');
    assert.deepEqual(args.get('bad'), ['%zzA']);
  });
});
