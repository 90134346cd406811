/**
 * The cloud-hosted profile (gateway.md §9, seed 001): the upstream IP
 * deny-list, the policy deny-list, and the mapping-service feeding gateways
 * per host from the master portal.
 */
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startProcess } from '../../../test/support/process.js';
import { freePort } from '../../../test/support/ports.js';
import { startFakePortal, type FakePortal } from '../../test-support/fake-portal.js';
import { APICAST_BIN, REPO_ROOT } from '../../test-support/gateway-process.js';
import { send } from '../../test-support/http-client.js';
import { eventually, startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { IpBlacklist } from './ip-blacklist.js';
import { freshnessSeconds } from './mapping-service/http-cache.js';
import { adminBaseUrl, environmentFromPath, providerIdFromHost } from './mapping-service/resolve-host.js';

const service = (id: number, host: string, upstream: string, extra: Record<string, unknown> = {}) => ({
  id,
  proxy: {
    hosts: [host],
    api_backend: upstream,
    proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
    ...extra,
  },
});

describe('cloud-hosted profile (gateway.md §9)', function () {
  this.timeout(60_000);
  let upstream: TestUpstream;
  let gateway: OpsGateway | undefined;
  beforeEach(async () => {
    upstream = await TestUpstream.start();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await upstream.stop();
  });

  it('the deny-list covers the private and reserved ranges; the whitelist wins', () => {
    const list = new IpBlacklist(['10.1.0.0/16']);
    for (const ip of [
      '0.1.2.3',
      '10.0.0.1',
      '127.0.0.1',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.0.0.8',
      '192.168.1.1',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      assert.equal(list.isDenied(ip), true, ip);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '192.0.1.1', '10.1.2.3']) assert.equal(list.isDenied(ip), false, ip);
    assert.throws(() => new IpBlacklist(['10.0.0.0/33']), /APICAST_BALANCER_WHITELIST: "10.0.0.0\/33" is not an IPv4 CIDR/);
  });

  it('a gateway with an invalid APICAST_BALANCER_WHITELIST exits 1 naming the variable', async () => {
    const refused = await startOpsGateway({
      config: { services: [] },
      env: { APICAST_CLOUD_HOSTED: 'true', APICAST_BALANCER_WHITELIST: '10.0.0.0/8,nonsense' },
      waitFor: 'none',
    });
    await refused.process.waitForExit();
    assert.equal(refused.process.describeExit(), 'exited with code 1');
    assert.match(refused.process.logs(), /APICAST_BALANCER_WHITELIST: "nonsense" is not an IPv4 CIDR/);
  });

  it('an upstream in a denied range gets 503 and "could not select peer: blacklisted"; APICAST_BALANCER_WHITELIST lets it through', async () => {
    gateway = await startOpsGateway({
      config: { services: [service(1, 'saas.example.com', upstream.url)] },
      env: { APICAST_CLOUD_HOSTED: 'true' },
    });
    const denied = await send(gateway.url, '/?user_key=k', { host: 'saas.example.com' });
    assert.equal(denied.status, 503);
    assert.equal(upstream.requests.length, 0, 'the upstream was never contacted');
    const g = gateway;
    await eventually(() => /could not select peer: blacklisted/.test(g.process.logs()), 10_000, 'blacklisted peer logged');
    assert.match((await send(gateway.metrics, '/metrics')).body, /^cloud_hosted_balancer\{status="blacklisted"\} 1$/m);
    await gateway.stop();

    gateway = await startOpsGateway({
      config: { services: [service(1, 'saas.example.com', upstream.url)] },
      env: { APICAST_LOADED_ENVIRONMENTS: 'cloud_hosted', APICAST_BALANCER_WHITELIST: '127.0.0.0/8' },
    });
    assert.equal((await send(gateway.url, '/?user_key=k', { host: 'saas.example.com' })).status, 200);
    assert.equal(upstream.requests.length, 1);
    assert.match((await send(gateway.metrics, '/metrics')).body, /^cloud_hosted_balancer\{status="success"\} 1$/m);
  });

  it('the blacklist checks the upstream a policy chose for the attempt, not the api_backend', async () => {
    // api_backend on the whitelisted 127.0.0.1; cloud_hosted.upstream (named as SaaS does, version 0.1) sends to 127.0.0.2, denied.
    const chosen = await TestUpstream.start('127.0.0.2');
    try {
      const policyChain = [{ name: 'cloud_hosted.upstream', version: '0.1', configuration: { url: chosen.url } }, { name: 'apicast' }];
      gateway = await startOpsGateway({
        config: { services: [service(1, 'saas.example.com', upstream.url, { policy_chain: policyChain })] },
        env: { APICAST_CLOUD_HOSTED: 'true', APICAST_BALANCER_WHITELIST: '127.0.0.1/32' },
      });
      const denied = await send(gateway.url, '/?user_key=k', { host: 'saas.example.com' });
      assert.equal(denied.status, 503);
      assert.equal(chosen.requests.length, 0, 'the blacklisted upstream was never contacted');
      assert.equal(upstream.requests.length, 0, 'nor was the request sent to the api_backend instead');
      const g = gateway;
      await eventually(() => /could not select peer: blacklisted/.test(g.process.logs()), 10_000, 'blacklisted peer logged');
      assert.match((await send(gateway.metrics, '/metrics')).body, /^cloud_hosted_balancer\{status="blacklisted"\} 1$/m);
      await gateway.stop();

      // Whitelisting the chosen address lets the same chain through to it.
      gateway = await startOpsGateway({
        config: { services: [service(1, 'saas.example.com', upstream.url, { policy_chain: policyChain })] },
        env: { APICAST_CLOUD_HOSTED: 'true', APICAST_BALANCER_WHITELIST: '127.0.0.2/32' },
      });
      assert.equal((await send(gateway.url, '/?user_key=k', { host: 'saas.example.com' })).status, 200);
      assert.equal(chosen.requests.length, 1);
      assert.equal(upstream.requests.length, 0);
    } finally {
      await chosen.stop();
    }
  });

  it('a denied policy rejects the configuration naming service and policy; /policies does not offer denied ones', async () => {
    const denied = {
      services: [
        service(77, 'x.example.com', upstream.url, { policy_chain: [{ name: 'rate_limit', configuration: {} }, { name: 'apicast' }] }),
      ],
    };
    const refused = await startOpsGateway({ config: denied, env: { APICAST_CLOUD_HOSTED: 'true' }, waitFor: 'none' });
    await refused.process.waitForExit();
    assert.equal(refused.process.describeExit(), 'exited with code 1');
    assert.match(refused.process.logs(), /service 77: policy rate_limit is not allowed in the cloud-hosted profile/);

    gateway = await startOpsGateway({ config: { services: [] }, env: { APICAST_CLOUD_HOSTED: 'true', APICAST_MANAGEMENT_API: 'debug' } });
    const answer = await send(gateway.management, '/config', { method: 'POST', body: JSON.stringify(denied) });
    assert.equal(answer.status, 400);
    assert.match((JSON.parse(answer.body) as { error: string }).error, /service 77: policy rate_limit is not allowed/);
    const policies = Object.keys((JSON.parse((await send(gateway.management, '/policies')).body) as { policies: object }).policies);
    for (const name of [
      'rate_limit',
      'token_introspection',
      'logging',
      'retry',
      'conditional',
      'upstream_connection',
      'liquid_context_debug',
    ]) {
      assert.ok(!policies.includes(name), `${name} is not offered`);
    }
    assert.ok(policies.includes('echo') && policies.includes('apicast'));
  });

  it('mapping-service: pure parts of the algorithm', () => {
    assert.equal(freshnessSeconds({ 'cache-control': 'public, max-age=30' }, 0), 30);
    assert.equal(freshnessSeconds({ 'cache-control': 'no-store, max-age=30' }, 0), 0);
    assert.equal(freshnessSeconds({ expires: new Date(10_000).toUTCString() }, 0), 10);
    assert.equal(freshnessSeconds({}, 0), 0);
    assert.equal(providerIdFromHost('api-2445581436380.production.gw.apicast.io'), '2445581436380');
    assert.equal(environmentFromPath('/config/staging.json'), 'sandbox');
    assert.equal(environmentFromPath('/x/production.JSON'), 'production');
    assert.equal(environmentFromPath('/config/other'), undefined);
    assert.equal(
      adminBaseUrl(new URL('https://master.example.com'), 'tenant-admin.3scale.net', undefined),
      'https://tenant-admin.3scale.net:443',
    );
    assert.equal(
      adminBaseUrl(new URL('http://master.example.com:3000'), 'tenant-admin.3scale.net', 'preview.example.com'),
      'http://tenant-admin.preview.example.com:3000',
    );
  });

  it('mapping-service serves per-host configuration fetched with the master token, and a cloud-hosted gateway loads from it lazily', async () => {
    const providerId = '2445581436380';
    const host = `api-${providerId}.staging.gw.apicast.io`;
    const portal: FakePortal = await startFakePortal({ accessToken: 'master-token', accounts: { [providerId]: '127.0.0.1' } });
    portal.publish(service(11, host, upstream.url), 'sandbox');
    const port = await freePort();
    const metricsPort = await freePort();
    const mapping = await startProcess({
      name: `mapping-service:${port}`,
      command: process.execPath,
      args: [APICAST_BIN, 'mapping-service'],
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        MAPPING_SERVICE_PORT: String(port),
        APICAST_METRICS_PORT: String(metricsPort),
        API_HOST: `http://127.0.0.1:${portal.port}`,
        MASTER_ACCESS_TOKEN: 'master-token',
      },
      ready: async () => {
        const r = await request(`http://127.0.0.1:${port}/nothing`);
        await r.body.dump();
        return r.statusCode === 404;
      },
    });
    try {
      portal.cacheControl = 'max-age=60';
      const direct = await send(`http://127.0.0.1:${port}`, `/config/staging.json?host=${host}`);
      assert.equal(direct.status, 200);
      assert.equal((await send(`http://127.0.0.1:${port}`, `/config/staging.json?host=${host}`)).status, 200);
      assert.equal(
        portal.requestsTo('/admin/api/services/proxy/configs/sandbox.json').length,
        1,
        'the answer was reused as its Cache-Control allows',
      );
      portal.cacheControl = undefined;
      assert.equal((JSON.parse(direct.body) as { proxy_configs: unknown[] }).proxy_configs.length, 1);
      assert.equal((await send(`http://127.0.0.1:${port}`, '/config/staging.json')).status, 404, 'no host ⇒ 404');
      assert.equal(
        (await send(`http://127.0.0.1:${port}`, '/config/staging.json?host=api-999.staging.gw.apicast.io')).status,
        404,
        'unknown provider ⇒ 404',
      );

      const sso = portal.requestsTo('/admin/api/sso_tokens/provider_create.json');
      assert.equal(sso[0].method, 'POST');
      assert.deepEqual(Object.fromEntries(new URLSearchParams(sso[0].body)), {
        provider_id: providerId,
        access_token: 'master-token',
        expires_in: '60',
      });
      const configs = portal.requestsTo('/admin/api/services/proxy/configs/sandbox.json');
      assert.equal(configs[0].query.host, host);
      assert.match(configs[0].query.token ?? '', /^sso-/);

      gateway = await startOpsGateway({
        env: {
          THREESCALE_PORTAL_ENDPOINT: `http://127.0.0.1:${port}/config`,
          THREESCALE_DEPLOYMENT_ENV: 'staging',
          APICAST_CLOUD_HOSTED: 'true',
          APICAST_BALANCER_WHITELIST: '127.0.0.1/32',
        },
      });
      const proxied = await send(gateway.url, '/hello?user_key=k', { host });
      assert.equal(proxied.status, 200);
      assert.equal(upstream.last?.url, '/hello?user_key=k');
      const tokensFor = portal
        .requestsTo('/admin/api/sso_tokens/provider_create.json')
        .filter((r) => r.body.includes(`provider_id=${providerId}`));
      assert.equal(tokensFor.length, 1, 'the SSO token is cached per provider');
    } finally {
      await mapping.stop();
      await portal.stop();
    }
  });
});
