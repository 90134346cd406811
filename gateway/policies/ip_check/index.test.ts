import assert from 'node:assert/strict';
import { buildPolicy } from '../../test-support/policies/build-policy.js';
import { testContext } from '../../test-support/policies/request-context.js';

async function access(configuration: Record<string, unknown>, init: Parameters<typeof testContext>[0]) {
  const policy = await buildPolicy('ip_check', configuration);
  const ctx = testContext(init);
  await policy.access!(ctx);
  return ctx.exitedWith;
}

describe('ip_check policy (policies.md §5.15)', () => {
  it('blacklist denies a listed peer with 403 and the default message plus newline', async () => {
    const exit = await access({ check_type: 'blacklist', ips: ['10.0.0.0/8'] }, { clientAddress: '10.1.2.3' });
    assert.equal(exit?.status, 403);
    assert.equal(exit.options?.body, 'IP address not allowed\n');
    assert.deepEqual(exit.options.headers, { 'Content-Type': 'text/plain' });
  });

  it('blacklist lets other addresses through', async () => {
    assert.equal(await access({ check_type: 'blacklist', ips: ['10.0.0.0/8'] }, { clientAddress: '11.0.0.1' }), undefined);
  });

  it('whitelist denies addresses outside every range, with the configured message', async () => {
    const config = { check_type: 'whitelist', ips: ['192.168.0.0/16', '127.0.0.1'], error_msg: 'go away' };
    assert.equal((await access(config, { clientAddress: '8.8.8.8' }))?.options?.body, 'go away\n');
    assert.equal(await access(config, { clientAddress: '::ffff:127.0.0.1' }), undefined);
  });

  it('reads X-Forwarded-For first when configured, falling back to the peer', async () => {
    const config = { check_type: 'blacklist', ips: ['1.2.3.4'], client_ip_sources: ['X-Forwarded-For', 'last_caller'] };
    assert.equal(
      (await access(config, { clientAddress: '127.0.0.1', headers: { 'X-Forwarded-For': '1.2.3.4:999, 5.5.5.5' } }))?.status,
      403,
    );
    assert.equal(await access(config, { clientAddress: '127.0.0.1' }), undefined);
  });

  it('does no check when no source yields an address', async () => {
    const config = { check_type: 'whitelist', ips: ['1.2.3.4'], client_ip_sources: ['X-Real-IP'] };
    assert.equal(await access(config, { clientAddress: '9.9.9.9' }), undefined);
  });

  it('rejects an unknown check_type, a missing ips and an invalid address naming the field', async () => {
    await assert.rejects(buildPolicy('ip_check', { check_type: 'greylist', ips: [] }), /check_type.*(blacklist, whitelist)/);
    await assert.rejects(buildPolicy('ip_check', { check_type: 'blacklist' }), /configuration\/ips|ips/);
    await assert.rejects(buildPolicy('ip_check', { check_type: 'blacklist', ips: ['1.2.3.4', 'nope'] }), /ips\[1\].*not an IPv4/);
    await assert.rejects(buildPolicy('ip_check', { check_type: 'blacklist', ips: [], client_ip_sources: ['cookie'] }), /client_ip_sources/);
  });
});
