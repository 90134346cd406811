import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { planCollection, sameValue } from './collection.js';

describe('capabilities: planCollection (CR items against 3scale items)', () => {
  const existing = [
    { id: 1, key: 'hits', values: { friendly_name: 'Hits', unit: 'hit' } },
    { id: 2, key: 'pets', values: { friendly_name: 'Pets', unit: 'pet', description: null } },
    { id: 3, key: 'old', values: { friendly_name: 'Old', unit: 'x' } },
  ];

  it('plans nothing when every field the CR sets is equal (a no-op resync writes nothing)', () => {
    const plan = planCollection(
      [{ key: 'pets', fields: { friendly_name: 'Pets', unit: 'pet' } }],
      existing.slice(0, 2),
      (i) => i.key === 'hits',
    );
    assert.deepEqual(plan, { create: [], update: [], remove: [] });
  });

  it('creates missing items, sends only the changed fields, removes items the CR dropped, keeps protected ones', () => {
    const plan = planCollection(
      [
        { key: 'pets', fields: { friendly_name: 'Pets listed', unit: 'pet' } },
        { key: 'cats', fields: { friendly_name: 'Cats', unit: 'cat' }, createOnly: { system_name: 'cats' } },
      ],
      existing,
      (i) => i.key === 'hits',
    );
    assert.deepEqual(
      plan.create.map((c) => c.key),
      ['cats'],
    );
    assert.deepEqual(plan.update, [{ id: 2, key: 'pets', fields: { friendly_name: 'Pets listed' } }]);
    assert.deepEqual(plan.remove, [{ id: 3, key: 'old' }]);
  });

  it('removes duplicates on the 3scale side, keeping the first', () => {
    const plan = planCollection(
      [{ key: 'GET /a', fields: { delta: 1 } }],
      [
        { id: 10, key: 'GET /a', values: { delta: 1 } },
        { id: 11, key: 'GET /a', values: { delta: 1 } },
      ],
    );
    assert.deepEqual(plan.remove, [{ id: 11, key: 'GET /a' }]);
    assert.equal(plan.update.length, 0);
  });

  it('compares values the way 3scale answers them: "10.0" is 10, true is "true", null is ""', () => {
    assert.ok(sameValue('10', '10.0'));
    assert.ok(sameValue(10, '10'));
    assert.ok(sameValue(true, 'true'));
    assert.ok(sameValue('', null));
    assert.ok(!sameValue('a', null));
    assert.ok(!sameValue(false, true));
    assert.ok(!sameValue('10', '10.5'));
  });
});
