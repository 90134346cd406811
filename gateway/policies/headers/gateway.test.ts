import assert from 'node:assert/strict';
import { startPolicyGateway, type PolicyGateway } from '../../test-support/policies/policy-gateway.js';
import { stopAll } from '../../test-support/teardown.js';

describe('headers policy through the real gateway', () => {
  let gw: PolicyGateway;
  before(async () => {
    gw = await startPolicyGateway([
      {
        id: 1,
        host: 'headers.test',
        chain: [
          {
            name: 'headers',
            configuration: {
              request: [
                { op: 'set', header: 'X-Service', value: 'svc-{{ service.id }}-{{ uri }}', value_type: 'liquid' },
                { op: 'delete', header: 'X-Internal' },
              ],
              response: [
                { op: 'push', header: 'X-Upstream', value: 'gateway' },
                { op: 'set', header: 'X-Frame-Options', value: 'DENY' },
              ],
            },
          },
          { name: 'apicast' },
        ],
      },
      {
        id: 2,
        host: 'broken.test',
        chain: [
          {
            name: 'headers',
            configuration: {
              request: [{ op: 'set', header: 'X-Runtime-Error', value: '{{ 1 | divided_by: 0 }}', value_type: 'liquid' }],
            },
          },
          { name: 'apicast' },
        ],
      },
      {
        id: 3,
        host: 'invalid.test',
        chain: [
          {
            name: 'headers',
            configuration: { request: [{ op: 'set', header: 'X-Invalid', value: '{{ uri | default: 1 }}', value_type: 'liquid' }] },
          },
          { name: 'apicast' },
        ],
      },
    ]);
  });
  after(async () => {
    await stopAll(gw);
  });

  it('the upstream receives the modified request headers and the client the modified response headers', async () => {
    const response = await gw.request('headers.test', '/items?user_key=k', { headers: { 'X-Internal': 'secret' } });
    assert.equal(response.status, 200);
    const received = gw.upstream.last!;
    assert.equal(received.headers['x-service'], 'svc-1-/items');
    assert.equal(received.headers['x-internal'], undefined);
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.deepEqual(response.headers['x-upstream'], ['yes', 'gateway']);
  });

  it('a Liquid error at request time is a 500, and the gateway keeps serving', async () => {
    const response = await gw.request('broken.test', '/?user_key=k');
    assert.equal(response.status, 500);
    assert.equal((await gw.request('headers.test', '/items?user_key=k')).status, 200);
  });

  it('invalid Liquid does not reject the configuration: it renders empty (set with empty value removes the header)', async () => {
    const response = await gw.request('invalid.test', '/?user_key=k', { headers: { 'X-Invalid': 'from-client' } });
    assert.equal(response.status, 200);
    assert.equal(gw.upstream.last!.headers['x-invalid'], undefined);
  });
});
