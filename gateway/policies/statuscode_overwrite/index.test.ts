import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

describe('statuscode_overwrite policy (policies.md §5.29)', () => {
  it('replaces a listed status once, without chaining mappings', async () => {
    const policy = await buildPolicy('statuscode_overwrite', {
      http_statuses: [
        { upstream: 200, apicast: 201 },
        { upstream: 201, apicast: 202 },
      ],
    });
    const ctx = testContext();
    ctx.response.status = 200;
    await policy.header_filter!(ctx);
    assert.equal(ctx.response.status, 201);
  });

  it('leaves other statuses unchanged', async () => {
    const policy = await buildPolicy('statuscode_overwrite', { http_statuses: [{ upstream: 404, apicast: 410 }] });
    const ctx = testContext();
    ctx.response.status = 500;
    await policy.header_filter!(ctx);
    assert.equal(ctx.response.status, 500);
  });

  it('rejects statuses outside 100..600 and missing fields', async () => {
    await assert.rejects(buildPolicy('statuscode_overwrite', { http_statuses: [{ upstream: 99, apicast: 200 }] }), /upstream/);
    await assert.rejects(buildPolicy('statuscode_overwrite', { http_statuses: [{ upstream: 200 }] }), /apicast/);
  });
});
