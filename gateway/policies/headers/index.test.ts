import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('headers policy (policies.md §5.13)', () => {
  it('request: set replaces, set with empty value deletes, delete removes, add only appends to an existing header', async () => {
    const policy = await buildPolicy('headers', {
      request: [
        { op: 'set', header: 'X-Set', value: 'new' },
        { op: 'set', header: 'X-Empty', value: '' },
        { op: 'delete', header: 'X-Gone' },
        { op: 'add', header: 'X-Add', value: 'two' },
        { op: 'add', header: 'X-Absent', value: 'never' },
      ],
    });
    const ctx = testContext({ headers: { 'X-Set': 'old', 'X-Empty': 'e', 'X-Gone': 'g', 'X-Add': 'one' } });
    await policy.rewrite!(ctx);
    const h = ctx.request.headers;
    assert.deepEqual(h.getAll('x-set'), ['new']);
    assert.equal(h.has('x-empty'), false);
    assert.equal(h.has('x-gone'), false);
    assert.deepEqual(h.getAll('x-add'), ['one', 'two']);
    assert.equal(h.has('x-absent'), false);
  });

  it('request: push creates or appends; quirk: a second push sees the original value', async () => {
    const policy = await buildPolicy('headers', {
      request: [
        { op: 'push', header: 'X-New', value: 'a' },
        { op: 'push', header: 'X-Multi', value: 'b' },
        { op: 'push', header: 'X-Multi', value: 'c' },
      ],
    });
    const ctx = testContext({ headers: { 'X-Multi': 'orig' } });
    await policy.rewrite!(ctx);
    assert.deepEqual(ctx.request.headers.getAll('x-new'), ['a']);
    assert.deepEqual(ctx.request.headers.getAll('x-multi'), ['orig', 'c']);
  });

  it('renders liquid values per request (headers, service, capture blocks)', async () => {
    const policy = await buildPolicy('headers', {
      request: [
        {
          op: 'set',
          header: 'X-Info',
          value: '{% capture v %}{{ uri }}|{{ headers.x_client }}{% endcapture %}{{ v | upcase }}',
          value_type: 'liquid',
        },
      ],
      response: [{ op: 'set', header: 'X-Plain', value: '{{ uri }}' }],
    });
    const ctx = testContext({ path: '/abc', headers: { 'X-Client': 'me' } });
    await policy.rewrite!(ctx);
    assert.equal(ctx.request.headers.get('x-info'), '/ABC|ME');
    await policy.header_filter!(ctx);
    assert.equal(ctx.response.headers.get('x-plain'), '{{ uri }}');
  });

  it('response: push/add produce additional header lines, set replaces, delete removes', async () => {
    const policy = await buildPolicy('headers', {
      response: [
        { op: 'push', header: 'X-Resp', value: 'p' },
        { op: 'add', header: 'X-Resp', value: 'a' },
        { op: 'add', header: 'X-None', value: 'never' },
        { op: 'set', header: 'Server', value: 'gw' },
        { op: 'delete', header: 'X-Secret' },
      ],
    });
    const ctx = testContext();
    ctx.response.headers.set('X-Resp', 'u');
    ctx.response.headers.set('Server', 'upstream');
    ctx.response.headers.set('X-Secret', 's');
    await policy.header_filter!(ctx);
    assert.deepEqual(ctx.response.headers.getAll('x-resp'), ['u', 'p', 'a']);
    assert.equal(ctx.response.headers.has('x-none'), false);
    assert.deepEqual(ctx.response.headers.getAll('server'), ['gw']);
    assert.equal(ctx.response.headers.has('x-secret'), false);
  });

  it('no configuration is a no-op policy', async () => {
    const policy = await buildPolicy('headers', {});
    assert.equal(typeof policy.rewrite, 'undefined');
    assert.equal(typeof policy.header_filter, 'undefined');
  });

  it('rejects an unknown op and a command without header, naming the field', async () => {
    await assert.rejects(buildPolicy('headers', { request: [{ op: 'replace', header: 'X' }] }), /op/);
    await assert.rejects(buildPolicy('headers', { response: [{ op: 'set', value: 'x' }] }), /header/);
  });
});
