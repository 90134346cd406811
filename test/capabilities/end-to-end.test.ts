/**
 * The whole path a platform team uses: Backend, Product (mapping rules, a plan), DeveloperAccount with its admin
 * DeveloperUser, Application and ProxyConfigPromote applied to the test cluster; the operator writes them to the
 * fake 3scale; our gateway in production mode loads the promoted configuration from that same fake portal and
 * authorizes against the fake Service Management API. Then the Product is deleted: it is gone from 3scale, and
 * once the gateway reloads it answers 404 for the product's host.
 */
import assert from 'node:assert/strict';
import { FakeBackend } from '../../gateway/test-support/fake-backend.js';
import { send } from '../../gateway/test-support/http-client.js';
import { startOpsGateway, type OpsGateway } from '../../gateway/test-support/ops-gateway.js';
import { TestUpstream } from '../../gateway/test-support/upstream.js';
import { apiVersionOf } from '../../operator/src/capabilities/api/kinds.js';
import { capabilitiesSuite, cr, eventually, getCr, waitFor } from './fixture.js';

describe('capabilities end to end: CRs → operator → 3scale → our gateway', function () {
  this.timeout(180_000);
  const suite = capabilitiesSuite('caps-e2e');
  let upstream: TestUpstream;
  let backend: FakeBackend | undefined;
  let gateway: OpsGateway | undefined;
  before(async () => {
    upstream = await TestUpstream.start();
  });
  after(async () => {
    await gateway?.stop();
    await backend?.stop();
    // Unset when before() failed.
    await (upstream as TestUpstream | undefined)?.stop();
  });

  it("a request with the application's user_key reaches the upstream, a wrong key is refused, a deleted product is 404", async () => {
    const { admin, namespace, fake } = suite;
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dev-admin-password', namespace },
      stringData: { password: 'a-long-password-1' },
    });
    await admin.create(
      cr('Backend', namespace, 'echo', {
        name: 'Echo',
        systemName: 'echo',
        privateBaseURL: upstream.url,
        mappingRules: [{ httpMethod: 'GET', pattern: '/hello', metricMethodRef: 'hits', increment: 1, last: false }],
      }),
    );
    await admin.create(
      cr('Product', namespace, 'shop', {
        name: 'Shop',
        systemName: 'shop',
        deployment: {
          apicastSelfManaged: {
            stagingPublicBaseURL: 'https://shop-staging.example.com',
            productionPublicBaseURL: 'https://shop.example.com',
            authentication: { userkey: { authUserKey: 'user_key', credentials: 'query' } },
          },
        },
        backendUsages: { echo: { path: '/' } },
        mappingRules: [{ httpMethod: 'GET', pattern: '/', metricMethodRef: 'hits', increment: 1, last: false }],
        applicationPlans: {
          basic: { name: 'Basic', published: true, limits: [{ period: 'minute', value: 1000, metricMethodRef: { systemName: 'hits' } }] },
        },
      }),
    );
    await admin.create(cr('DeveloperAccount', namespace, 'acme', { orgName: 'ACME' }));
    await admin.create(
      cr('DeveloperUser', namespace, 'acme-admin', {
        username: 'acme-admin',
        email: 'admin@acme.example.com',
        role: 'admin',
        passwordCredentialsRef: { name: 'dev-admin-password' },
        developerAccountRef: { name: 'acme' },
      }),
    );
    await admin.create(
      cr('Application', namespace, 'acme-shop', {
        accountCR: { name: 'acme' },
        productCR: { name: 'shop' },
        applicationPlanName: 'basic',
        name: 'ACME shop client',
        description: 'The ACME app',
      }),
    );

    const product = await waitFor(admin, 'Product', namespace, 'shop', 'Synced', 60_000);
    const account = await waitFor(admin, 'DeveloperAccount', namespace, 'acme', 'Synced', 60_000);
    const user = await waitFor(admin, 'DeveloperUser', namespace, 'acme-admin', 'Synced', 60_000);
    const application = await waitFor(admin, 'Application', namespace, 'acme-shop', 'Synced', 60_000);
    const tenant = fake.tenant();
    const app = tenant.applications.get(Number(application.status?.id))!;
    assert.equal(app.service_id, product.status?.productId);
    assert.equal(app.account_id, account.status?.accountID);
    assert.equal(user.status?.created, false, 'the signup made the admin user; the CR adopted it');
    assert.equal(tenant.users.get(Number(user.status.developerUserID))?.state, 'active');
    assert.ok(app.user_key, 'a user-key product gives the application a user_key');

    backend = await FakeBackend.start(fake.backendOptions());
    await admin.create(cr('ProxyConfigPromote', namespace, 'shop-to-production', { productCRName: 'shop', production: true }));
    const promote = await waitFor(admin, 'ProxyConfigPromote', namespace, 'shop-to-production', 'Synced', 60_000);
    assert.equal(promote.status?.latestProductionVersion, promote.status?.latestStagingVersion);

    gateway = await startOpsGateway({
      env: {
        THREESCALE_PORTAL_ENDPOINT: fake.portalEndpoint(),
        THREESCALE_DEPLOYMENT_ENV: 'production',
        APICAST_CONFIGURATION_LOADER: 'lazy',
        APICAST_CONFIGURATION_CACHE: '1',
        BACKEND_ENDPOINT_OVERRIDE: backend.url,
      },
    });
    const ok = await send(gateway.url, `/hello?user_key=${app.user_key}`, { host: 'shop.example.com' });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(upstream.last?.url, `/hello?user_key=${app.user_key}`);
    assert.equal(backend.callsOf('authrep')[0]?.params.get('user_key'), app.user_key);
    const wrong = await send(gateway.url, '/hello?user_key=wrong-key', { host: 'shop.example.com' });
    assert.equal(wrong.status, 403);
    assert.equal(upstream.requests.length, 1, 'the wrong key never reached the upstream');

    await admin.delete(apiVersionOf('Product'), 'Product', namespace, 'shop');
    await eventually(
      'the product is gone from 3scale',
      () => tenant.services.get(Number(product.status?.productId)) === undefined,
      30_000,
      200,
    );
    await eventually(
      'the Product CR is gone',
      async () => (await getCr(admin, 'Product', namespace, 'shop').catch(() => undefined)) === undefined,
      30_000,
      200,
    );
    const g = gateway;
    // Until its next reload (APICAST_CONFIGURATION_CACHE, 1 s here) the gateway still serves what it loaded.
    await eventually(
      "the gateway answers 404 for the deleted product's host",
      async () => (await send(g.url, `/hello?user_key=${app.user_key}`, { host: 'shop.example.com' })).status === 404,
      20_000,
      250,
    );
    const served = upstream.requests.length;
    assert.equal((await send(g.url, `/hello?user_key=${app.user_key}`, { host: 'shop.example.com' })).status, 404);
    assert.equal(upstream.requests.length, served, 'nothing reaches the upstream once the product is gone');
  });
});
