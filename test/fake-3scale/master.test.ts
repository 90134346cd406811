/** The Master API: tenants with their own tokens and their own state. */
import assert from 'node:assert/strict';
import { startFake3scale, type Fake3scale } from './server.js';
import { TestApi } from './test-client.js';

describe('fake 3scale: Master API tenants', () => {
  let fake: Fake3scale;
  let master: TestApi;
  beforeEach(async () => {
    fake = await startFake3scale({ accessToken: 'default-tenant', masterToken: 'master-secret' });
    master = new TestApi(fake.url, fake.masterToken);
  });
  afterEach(() => fake.close());

  it('creates a tenant whose new token reaches its own, empty admin API', async () => {
    const made = await master.post('/master/api/providers.json', {
      org_name: 'Team A',
      username: 'admin',
      email: 'a@example.com',
      password: 'pw',
    });
    assert.equal(made.status, 201);
    const { account, access_token: token } = made.json.signup;
    assert.deepEqual(
      [account.org_name, account.state, account.admin_domain, account.admin_base_url],
      ['Team A', 'approved', 'team-a-admin.fake3scale.test', fake.url],
    );
    assert.equal(account.users.user[0].state, 'pending');
    assert.match(token.value, /^[0-9a-f]{64}$/);

    const tenantApi = new TestApi(fake.url, token.value);
    const defaultApi = new TestApi(fake.url, fake.accessToken);
    await tenantApi.post('/admin/api/backend_apis.json', { name: 'Mine', private_endpoint: 'http://m' });
    assert.equal((await tenantApi.get('/admin/api/backend_apis.json')).json.backend_apis.length, 1);
    assert.equal((await defaultApi.get('/admin/api/backend_apis.json')).json.backend_apis.length, 0, 'tenants do not share state');
    assert.equal(fake.tenant(token.value).backends.size, 1);
    assert.deepEqual(
      fake.calls.filter((c) => c.path === '/admin/api/backend_apis.json').map((c) => c.tenant),
      [account.id, account.id, fake.tenant().id],
    );

    // The Tenant reconciler activates the admin user through the master account's admin API, with the master token.
    const userPath = `/admin/api/accounts/${account.id}/users/${account.users.user[0].id}`;
    assert.equal((await master.get(`${userPath}.json`)).json.user.state, 'pending');
    assert.equal((await tenantApi.put(`${userPath}/activate.json`)).status, 404, 'a tenant token sees its own developer accounts there');
    const activated = await master.put(`${userPath}/activate.json`);
    assert.deepEqual([activated.json.user.state, activated.json.user.role, activated.json.user.username], ['active', 'admin', 'admin']);
    assert.equal((await master.get(`/admin/api/accounts/${account.id}/users.json`)).json.users[0].user.state, 'active');
    assert.equal((await master.get(`/master/api/providers/${account.id}.json`)).json.account.users!.user[0].state, 'active');
  });

  it('validates signups, needs the master token, and deletion schedules the tenant and revokes its token', async () => {
    assert.deepEqual(Object.keys((await master.post('/master/api/providers.json', { org_name: 'XX' })).json.errors).sort(), [
      'email',
      'password',
      'username',
    ]);
    const made = (
      await master.post('/master/api/providers.json', { org_name: 'Team B', username: 'b', email: 'b@example.com', password: 'pw' })
    ).json.signup;
    assert.deepEqual(
      (await master.post('/master/api/providers.json', { org_name: 'team b', username: 'c', email: 'c@example.com', password: 'pw' })).json
        .errors,
      { subdomain: ['has already been taken'] },
    );
    assert.equal(
      (await master.withToken(fake.accessToken).get(`/master/api/providers/${made.account.id}.json`)).status,
      403,
      'a provider token is not the master token',
    );
    assert.equal(
      (await new TestApi(fake.url, 'master-secret').get('/admin/api/services.json')).status,
      403,
      'the master token is no provider token',
    );
    assert.equal(
      (await master.put(`/master/api/providers/${made.account.id}.json`, { org_name: 'Team Bee' })).json.account.org_name,
      'Team Bee',
    );
    assert.equal((await master.delete(`/master/api/providers/${made.account.id}.json`)).status, 200);
    assert.equal((await master.get(`/master/api/providers/${made.account.id}.json`)).json.account.state, 'scheduled_for_deletion');
    assert.equal((await new TestApi(fake.url, made.access_token.value).get('/admin/api/services.json')).status, 403);
    assert.equal((await master.get('/master/api/providers/9999.json')).status, 404);
  });
});
