import assert from 'node:assert/strict';
import { applyTransformations, compileTransformation, TransformationError } from './transformation.js';

const compile = (...json: Parameters<typeof compileTransformation>[0][]) => json.map(compileTransformation);

describe('rewrite_url_captures transformations (policies.md §5.26)', () => {
  it('rewrites the spec example: captures go to the path and a set query argument', () => {
    const t = compile({ match_rule: '/{orderId}/{accountId}', template: '/sales/v2/{orderId}?account={accountId}' });
    assert.deepEqual(applyTransformations(t, '/123/456', 'GET', 'x=1'), { path: '/sales/v2/123', query: 'x=1&account=456' });
  });

  it('set replaces every existing value of a template argument', () => {
    const t = compile({ match_rule: '/{id}', template: '/items?id={id}' });
    assert.deepEqual(applyTransformations(t, '/9', 'GET', 'id=1&a=b&id=2'), { path: '/items', query: 'id=9&a=b' });
  });

  it('splits every & of the template query', () => {
    const t = compile({ match_rule: '/{a}/{b}', template: '/x?one={a}&two={b}&three=3' });
    assert.deepEqual(applyTransformations(t, '/p/q', 'GET', ''), { path: '/x', query: 'one=p&two=q&three=3' });
  });

  it('leaves the query untouched (undefined) when the template has none', () => {
    const t = compile({ match_rule: '/old/{rest}', template: '/new/{rest}' });
    assert.deepEqual(applyTransformations(t, '/old/thing', 'GET', 'k=v'), { path: '/new/thing', query: undefined });
  });

  it('is unanchored and does not escape the dot', () => {
    const t = compile({ match_rule: '/v1.{id}', template: '/{id}' });
    assert.deepEqual(applyTransformations(t, '/prefix/v1x7', 'GET', ''), { path: '/7', query: undefined });
  });

  it('applies only the first match; skips rules whose methods do not list the method', () => {
    const t = compile(
      { match_rule: '/{a}', template: '/post/{a}', methods: ['POST'] },
      { match_rule: '/{a}', template: '/first/{a}' },
      { match_rule: '/{a}', template: '/second/{a}' },
    );
    assert.equal(applyTransformations(t, '/z', 'GET', '')?.path, '/first/z');
    assert.equal(applyTransformations(t, '/z', 'POST', '')?.path, '/post/z');
  });

  it('does not match when extra groups make captures differ from placeholders', () => {
    const t = compile({ match_rule: '/(x)/{a}', template: '/{a}' });
    assert.equal(applyTransformations(t, '/x/1', 'GET', ''), undefined);
  });

  it('no match leaves everything untouched', () => {
    const t = compile({ match_rule: '/orders/{id}', template: '/o/{id}' });
    assert.equal(applyTransformations(t, '/users/1', 'GET', 'a=1'), undefined);
  });

  it('rejects a match_rule JavaScript cannot compile, naming the field', () => {
    assert.throws(
      () => compile({ match_rule: '/[{id}', template: '/' }),
      (e: unknown) => e instanceof TransformationError && e.field === 'transformations[0].match_rule',
    );
  });
});
