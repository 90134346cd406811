/**
 * Bad input to the capabilities CRs, each ending in a condition that names the reason, with nothing written to
 * 3scale (or nothing half-written), and no hot loop: while a CR cannot sync, its resourceVersion stays put.
 */
import assert from 'node:assert/strict';
import { capabilitiesSuite, condition, cr, eventually, getCr } from './fixture.js';
import type { CapabilityKindName } from '../../operator/src/capabilities/api/kinds.js';

describe('capabilities: bad input and a failing 3scale', function () {
  this.timeout(120_000);
  const suite = capabilitiesSuite('caps-bad', { THREESCALE_API_TIMEOUT: '2s' });

  async function conditionOf(kind: CapabilityKindName, name: string, type: string, status = 'True', timeoutMs = 20_000) {
    let last: Awaited<ReturnType<typeof getCr>> | undefined;
    await eventually(
      `${kind}/${name} ${type}=${status}`,
      async () => {
        last = await getCr(suite.admin, kind, suite.namespace, name).catch(() => undefined);
        return condition(last, type)?.status === status;
      },
      timeoutMs,
      200,
    ).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: ${JSON.stringify(last?.status)}`);
    });
    return { cr: last!, condition: condition(last, type)! };
  }

  /** No status or metadata write for `ms` while nothing changes. */
  async function assertSteady(kind: CapabilityKindName, name: string, ms = 4000): Promise<void> {
    const before = (await getCr(suite.admin, kind, suite.namespace, name)).metadata.resourceVersion;
    await new Promise((resolve) => setTimeout(resolve, ms));
    assert.equal(
      (await getCr(suite.admin, kind, suite.namespace, name)).metadata.resourceVersion,
      before,
      `${kind}/${name} is written again and again`,
    );
  }

  const servicesWritten = () => suite.fake.writes().filter((c) => c.path.startsWith('/admin/api/services'));

  it('a Product naming a Backend that does not exist is Invalid, with the field named, and writes nothing', async () => {
    const { admin, namespace } = suite;
    await admin.create(cr('Product', namespace, 'orphan-product', { name: 'Orphan', backendUsages: { ghost: { path: '/' } } }));
    const { condition: invalid } = await conditionOf('Product', 'orphan-product', 'Invalid');
    assert.match(invalid.message ?? '', /spec\.backendUsages\.ghost: no Backend CR with system name "ghost"/);
    assert.deepEqual(servicesWritten(), []);
    await assertSteady('Product', 'orphan-product');
  });

  it('a plan limit on an unknown metric is Invalid and writes nothing', async () => {
    const { admin, namespace } = suite;
    await admin.create(
      cr('Product', namespace, 'bad-limit', {
        name: 'Bad limit',
        applicationPlans: { basic: { name: 'Basic', limits: [{ period: 'day', value: 1, metricMethodRef: { systemName: 'nope' } }] } },
      }),
    );
    const { condition: invalid } = await conditionOf('Product', 'bad-limit', 'Invalid');
    assert.match(
      invalid.message ?? '',
      /spec\.applicationPlans\.basic\.limits\[0\]\.metricMethodRef: the product has no metric or method "nope"/,
    );
    assert.deepEqual(servicesWritten(), []);
  });

  it('two Backends with one system name: the younger is Invalid, naming the older', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create(cr('Backend', namespace, 'first', { name: 'First', systemName: 'shared', privateBaseURL: 'https://a.example.com' }));
    await conditionOf('Backend', 'first', 'Synced');
    await admin.create(
      cr('Backend', namespace, 'second', { name: 'Second', systemName: 'shared', privateBaseURL: 'https://b.example.com' }),
    );
    const { condition: invalid } = await conditionOf('Backend', 'second', 'Invalid');
    assert.match(invalid.message ?? '', /spec\.systemName: "shared" is already used by Backend first/);
    assert.equal(fake.tenant().backends.where((b) => b.system_name === 'shared').length, 1);
    assert.equal(
      fake.tenant().backends.find((b) => b.system_name === 'shared')?.private_endpoint,
      'https://a.example.com:443',
      'the second never overwrote the first',
    );
  });

  it('a provider Secret without a token is Invalid, naming the Secret; no call reaches 3scale', async () => {
    const { admin, namespace, fake } = suite;
    await admin.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'no-token', namespace }, stringData: { adminURL: fake.url } });
    const calls = fake.calls.length;
    await admin.create(
      cr('Backend', namespace, 'tokenless', {
        name: 'Tokenless',
        privateBaseURL: 'https://t.example.com',
        providerAccountRef: { name: 'no-token' },
      }),
    );
    const { condition: invalid } = await conditionOf('Backend', 'tokenless', 'Invalid');
    assert.equal(invalid.message, 'spec.providerAccountRef: Secret no-token has no token');
    assert.equal(fake.calls.length, calls);
    await assertSteady('Backend', 'tokenless');
  });

  it('3scale answering 500: Failed with the reason, retried with backoff, Synced once 3scale recovers', async () => {
    const { admin, namespace, fake } = suite;
    fake.failNext({ status: 500, times: 3, pathPrefix: '/admin/api/backend_apis' });
    await admin.create(cr('Backend', namespace, 'flaky', { name: 'Flaky', privateBaseURL: 'https://f.example.com' }));
    const { condition: failed } = await conditionOf('Backend', 'flaky', 'Failed');
    assert.match(failed.message ?? '', /3scale GET \/admin\/api\/backend_apis\.json: 500/);
    assert.equal(failed.reason, 'ThreescaleError');
    await conditionOf('Backend', 'flaky', 'Synced');
    assert.equal(fake.tenant().backends.where((b) => b.name === 'Flaky').length, 1, 'retries never made a second backend');
  });

  it('3scale hanging: Failed (no answer) without a hot loop, Synced once it answers again', async () => {
    const { admin, namespace, fake } = suite;
    fake.hang('/admin/api/backend_apis');
    try {
      await admin.create(cr('Backend', namespace, 'stuck', { name: 'Stuck', privateBaseURL: 'https://s.example.com' }));
      const { condition: failed } = await conditionOf('Backend', 'stuck', 'Failed');
      assert.equal(failed.reason, 'ThreescaleUnreachable');
      assert.match(failed.message ?? '', /no answer/);
      await assertSteady('Backend', 'stuck', 5000);
    } finally {
      fake.unhang();
    }
    await conditionOf('Backend', 'stuck', 'Synced', 'True', 90_000);
  });

  it('an OpenAPI CR whose document is not OpenAPI is Invalid, naming the ConfigMap; no Product or Backend is made', async () => {
    const { admin, namespace } = suite;
    await admin.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'not-openapi', namespace },
      data: { 'doc.yaml': 'info: {title: x}\npaths: {}\n' },
    });
    await admin.create(cr('OpenAPI', namespace, 'broken-doc', { openapiRef: { configMapRef: { name: 'not-openapi' } } }));
    const { condition: invalid } = await conditionOf('OpenAPI', 'broken-doc', 'Invalid');
    assert.match(invalid.message ?? '', /spec\.openapiRef: ConfigMap not-openapi has no openapi \(3\.x\) or swagger \(2\.0\) version/);
    assert.equal(await getCr(admin, 'Product', namespace, 'broken-doc').catch(() => undefined), undefined);
  });

  it('an Application naming a plan its Product does not have is Invalid, with the plans listed', async () => {
    const { admin, namespace } = suite;
    await admin.create(cr('Product', namespace, 'planned', { name: 'Planned', applicationPlans: { gold: { name: 'Gold' } } }));
    await admin.create(cr('DeveloperAccount', namespace, 'dev', { orgName: 'Dev' }));
    await admin.create(
      cr('Application', namespace, 'wrong-plan', {
        accountCR: { name: 'dev' },
        productCR: { name: 'planned' },
        applicationPlanName: 'silver',
        name: 'App',
        description: 'An app',
      }),
    );
    const { condition: invalid } = await conditionOf('Application', 'wrong-plan', 'Invalid');
    assert.match(invalid.message ?? '', /spec\.applicationPlanName: Product planned has no plan "silver" \(it has: gold\)/);
    const { condition: orphan } = await conditionOf('DeveloperAccount', 'dev', 'Orphan');
    assert.equal(orphan.reason, 'NoAdminUser');
  });

  it('the access token appears in no log line, Event or status, after all of the above', async () => {
    const { admin, namespace, fake, operator } = suite;
    const token = fake.accessToken;
    assert.ok(!operator!.process.logs().includes(token), 'operator log');
    const events = (
      await admin.list<{ message?: string } & import('../../operator/src/controller/desired.js').KubeObject>('v1', 'Event', namespace)
    ).items;
    assert.ok(events.length > 0);
    assert.ok(
      events.every((e) => !String(e.message).includes(token)),
      'Events',
    );
    for (const kind of ['Backend', 'Product', 'Application', 'DeveloperAccount'] as const) {
      for (const item of (await admin.list(`capabilities.3scale.net/v1beta1`, kind, namespace)).items)
        assert.ok(!JSON.stringify(item.status ?? {}).includes(token), `${kind} status`);
    }
  });
});
