/** Developer accounts, their users, applications and application keys. */
import assert from 'node:assert/strict';
import { startFake3scale, type Fake3scale } from './server.js';
import { productWithBackend, TestApi } from './test-client.js';

describe('fake 3scale: developer accounts, users, applications, keys', () => {
  let fake: Fake3scale;
  let api: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale();
    api = new TestApi(fake.url, fake.accessToken);
  });
  afterEach(() => fake.close());

  const signup = (org = 'Acme', username = 'acme') =>
    api.post('/admin/api/signup.json', { org_name: org, username, email: `${username}@example.com`, password: 's3cret', vat_code: 'X1' });

  it('signup makes an approved account with an active admin user; find by username, email, user_id', async () => {
    const made = await signup();
    assert.equal(made.status, 201);
    const account = made.json.account;
    assert.deepEqual([account.org_name, account.state, account.extra_fields], ['Acme', 'approved', { vat_code: 'X1' }]);
    const users = (await api.get(`/admin/api/accounts/${account.id}/users.json`)).json.users;
    assert.deepEqual(
      users.map((u: { user: { username: string; role: string; state: string } }) => [u.user.username, u.user.role, u.user.state]),
      [['acme', 'admin', 'active']],
    );
    assert.equal(JSON.stringify(users).includes('s3cret'), false, 'passwords are never shown');
    for (const query of [{ username: 'acme' }, { email: 'acme@example.com' }, { user_id: users[0].user.id }]) {
      assert.equal((await api.get('/admin/api/accounts/find.json', query)).json.account.id, account.id);
    }
    assert.equal((await api.get('/admin/api/accounts/find.json', { username: 'nobody' })).status, 404);
    assert.deepEqual((await signup('Other', 'acme')).json.errors, {
      username: ['has already been taken'],
      email: ['has already been taken'],
    });
    assert.deepEqual(Object.keys((await api.post('/admin/api/signup.json', {})).json.errors).sort(), ['email', 'org_name', 'username']);
  });

  it('updates and deletes accounts (with their users and applications)', async () => {
    const account = (await signup()).json.account;
    const changed = await api.put(`/admin/api/accounts/${account.id}.json`, { org_name: 'Acme Inc', monthly_billing_enabled: false });
    assert.deepEqual([changed.json.account.org_name, changed.json.account.monthly_billing_enabled], ['Acme Inc', false]);
    assert.equal((await api.get('/admin/api/accounts.json')).json.accounts.length, 1);
    assert.equal((await api.delete(`/admin/api/accounts/${account.id}.json`)).status, 200);
    assert.equal(fake.tenant().users.size, 0);
    assert.equal((await api.get(`/admin/api/accounts/${account.id}.json`)).status, 404);
  });

  it('users: pending members at first, activate/admin/member/suspend/unsuspend, unique username', async () => {
    const account = (await signup()).json.account;
    const base = `/admin/api/accounts/${account.id}/users`;
    const user = (await api.post(`${base}.json`, { username: 'bob', email: 'bob@example.com', password: 'pw' })).json.user;
    assert.deepEqual([user.state, user.role], ['pending', 'member']);
    const step = async (action: string) => (await api.put(`${base}/${user.id}/${action}.json`)).json.user;
    assert.equal((await step('activate')).state, 'active');
    assert.equal((await step('admin')).role, 'admin');
    assert.equal((await step('member')).role, 'member');
    assert.equal((await step('suspend')).state, 'suspended');
    assert.equal((await step('unsuspend')).state, 'active');
    assert.equal((await api.post(`${base}.json`, { username: 'bob', email: 'other@example.com' })).status, 422);
    assert.equal((await api.put(`${base}/${user.id}.json`, { email: 'bob2@example.com' })).json.user.email, 'bob2@example.com');
    assert.equal((await api.get(`/admin/api/accounts/999/users/${user.id}.json`)).status, 404);
  });

  it('applications on a user_key product get a user_key; suspend, resume and change_plan within the product', async () => {
    const { planId, serviceId } = await productWithBackend(api, 'http://u');
    const gold = (await api.post(`/admin/api/services/${serviceId}/application_plans.json`, { name: 'Gold' })).json.application_plan;
    const elsewhere = (await productWithBackend(api, 'http://v', 'Other')).planId;
    const account = (await signup()).json.account;
    const base = `/admin/api/accounts/${account.id}/applications`;
    const app = (await api.post(`${base}.json`, { plan_id: planId, name: 'Mobile', description: 'the app' })).json.application;
    assert.match(app.user_key!, /^[0-9a-f]{32}$/);
    assert.deepEqual([app.state, app.enabled, app.service_id, app.plan_id], ['live', true, serviceId, planId]);
    const chosen = (await api.post(`${base}.json`, { plan_id: planId, name: 'Given', user_key: 'my-key' })).json.application;
    assert.equal(chosen.user_key, 'my-key');
    assert.deepEqual((await api.post(`${base}.json`, { plan_id: planId, name: 'Twice', user_key: 'my-key' })).json.errors, {
      user_key: ['has already been taken'],
    });
    assert.equal((await api.post(`${base}.json`, { plan_id: 9999, name: 'x' })).status, 404);
    assert.equal((await api.put(`${base}/${app.id}/suspend.json`)).json.application.state, 'suspended');
    assert.equal((await api.put(`${base}/${app.id}/resume.json`)).json.application.state, 'live');
    assert.equal((await api.put(`${base}/${app.id}/change_plan.json`, { plan_id: gold.id })).json.application.plan_id, gold.id);
    assert.equal((await api.put(`${base}/${app.id}/change_plan.json`, { plan_id: elsewhere })).status, 404, 'a plan of another product');
    assert.equal((await api.get('/admin/api/applications.json', { service_id: serviceId })).json.applications.length, 2);
    assert.equal((await api.get('/admin/api/applications/find.json', { user_key: 'my-key' })).json.application.id, chosen.id);
  });

  it('applications on an app_id product get an application_id and a key; keys are listed, added (at most 5) and removed', async () => {
    const service = (await api.post('/admin/api/services.json', { name: 'Keys', backend_version: '2' })).json.service;
    const plan = (await api.post(`/admin/api/services/${service.id}/application_plans.json`, { name: 'PP' })).json.application_plan;
    const account = (await signup()).json.account;
    const app = (
      await api.post(`/admin/api/accounts/${account.id}/applications.json`, {
        plan_id: plan.id,
        name: 'AA',
        application_id: 'app-1',
        application_key: 'k1',
      })
    ).json.application;
    assert.deepEqual([app.application_id, app.keys, app.user_key], ['app-1', ['k1'], undefined]);
    const keys = `/admin/api/accounts/${account.id}/applications/${app.id}/keys`;
    const added = await api.post(`${keys}.json`, { key: 'k2' });
    assert.deepEqual([added.status, added.json.application.keys], [201, ['k1', 'k2']]);
    assert.deepEqual((await api.get(`${keys}.json`)).json, { keys: [{ key: { value: 'k1' } }, { key: { value: 'k2' } }] });
    assert.equal((await api.post(`${keys}.json`, { key: 'k2' })).status, 422);
    for (const key of ['k3', 'k4', 'k5']) await api.post(`${keys}.json`, { key });
    assert.equal((await api.post(`${keys}.json`, { key: 'k6' })).status, 422, 'five keys at most');
    assert.deepEqual((await api.delete(`${keys}/k1.json`)).json.application.keys, ['k2', 'k3', 'k4', 'k5']);
    assert.equal((await api.delete(`${keys}/k1.json`)).status, 404);
  });
});
