import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';

describe('nginx_filters policy (policies.md §5.43)', () => {
  it('refuses a configuration without headers, with an empty list or a bad header name, naming the field', async () => {
    await assert.rejects(buildPolicy('nginx_filters', {}), /headers/);
    await assert.rejects(buildPolicy('nginx_filters', { headers: [] }), /headers/);
    await assert.rejects(buildPolicy('nginx_filters', { headers: [{ name: 'If Match' }] }), /name/);
    await assert.rejects(buildPolicy('nginx_filters', { headers: [{ name: 'If-Match', append: 'yes' }] }), /append/);
  });
});
