/**
 * Configuration validation, filtering, compilation and storage in one step,
 * with the real builtin policy registry.
 */
import assert from 'node:assert/strict';
import { parseSettings } from '../settings.js';
import { silentLogger } from '../logging/logger.js';
import { noopHooks } from '../telemetry/hooks.js';
import { GatewayRuntime } from '../runtime/gateway-runtime.js';
import { PolicyRegistry } from '../chain/registry.js';
import { InMemoryConfigurationStore } from './store.js';
import { ConfigurationManager } from './manager.js';
import { createServiceFilter } from './filter.js';

async function manager(env: Record<string, string> = {}): Promise<ConfigurationManager> {
  const settings = parseSettings(env);
  const registry = await PolicyRegistry.load({ log: silentLogger(), loadPath: [] });
  return new ConfigurationManager(new InMemoryConfigurationStore({ pathRouting: settings.pathRouting }), {
    settings,
    registry,
    log: silentLogger(),
    hooks: noopHooks,
    runtime: new GatewayRuntime(),
    filter: createServiceFilter(settings.servicesList, settings.servicesFilterByUrl),
  });
}

describe('configuration manager', function () {
  this.timeout(20_000);

  it('accepts portal-style JSON (numeric ids, nulls, unknown fields) and stores compiled services', async () => {
    const m = await manager();
    const result = await m.apply(
      {
        services: [
          {
            id: 42,
            backend_version: 1,
            proxy: { hosts: ['a.test'], api_backend: 'http://u:8080/p', policy_chain: null, endpoint: 'x', extra: { deep: true } },
            account_id: 3,
          },
        ],
        oidc: [false],
        provider_key: 'pk',
        timestamp: '2021-03-05T10:00:00Z',
      },
      'test',
    );
    assert.equal(result.ok, true);
    const service = m.store.findByHost('a.test')[0];
    assert.equal(service.id, '42');
    assert.equal(service.backendVersion, '1');
    assert.equal(service.apiBackend?.path, '/p');
    assert.deepEqual(
      service.chain.entries.map((e) => e.name),
      ['apicast'],
    );
    assert.equal(service.backend.endpoint, 'http://127.0.0.1:8081', 'the built-in fake backend by default');
  });

  it('keeps the last good configuration when a new one is invalid, and names the field', async () => {
    const m = await manager();
    await m.apply({ services: [{ id: 1, proxy: { hosts: ['good.test'] } }] }, 'first');
    const bad = await m.apply({ services: [{ id: 2, proxy: { hosts: ['bad.test'], error_status_no_match: 'four-oh-four' } }] }, 'second');
    assert.equal(bad.ok, false);
    assert.match(bad.error.message, /configuration\/services\/0\/proxy\/error_status_no_match: must be integer/);
    assert.equal(m.store.findByHost('good.test').length, 1);
    assert.equal(m.store.findByHost('bad.test').length, 0);
    const text = await m.applyText('{"services": [', 'third');
    assert.equal(text.ok, false);
    assert.match(text.error.message, /^\(json\): /);
  });

  it('keeps the first service of a duplicated host and ignores later duplicate ids', async () => {
    const m = await manager();
    await m.apply(
      {
        services: [
          { id: 1, proxy: { hosts: ['x.test'] } },
          { id: 2, proxy: { hosts: ['x.test'] } },
          { id: 1, proxy: { hosts: ['y.test'] } },
        ],
      },
      't',
    );
    assert.equal(m.store.findByHost('x.test')[0].id, '1');
    assert.equal(m.store.findByHost('y.test').length, 0);
  });

  it('merges loads: a new configuration adds services, same ids replace, other hosts keep routing', async () => {
    const m = await manager();
    await m.apply(
      {
        services: [
          { id: 1, proxy: { hosts: ['one.test'] } },
          { id: 2, proxy: { hosts: ['two.test'] } },
        ],
      },
      'a',
    );
    await m.apply(
      {
        services: [
          { id: 2, proxy: { hosts: ['deux.test'] } },
          { id: 3, proxy: { hosts: ['three.test'] } },
        ],
      },
      'b',
    );
    assert.equal(m.store.findByHost('one.test')[0]?.id, '1');
    assert.equal(m.store.findByHost('two.test').length, 0, 'a replaced service stops answering on its old hosts');
    assert.equal(m.store.findByHost('deux.test')[0]?.id, '2');
    assert.equal(m.store.findByHost('three.test')[0]?.id, '3');
  });

  it('applies APICAST_SERVICES_LIST and APICAST_SERVICES_FILTER_BY_URL as a union', async () => {
    const m = await manager({ APICAST_SERVICES_LIST: '9', APICAST_SERVICES_FILTER_BY_URL: '^api\\.' });
    await m.apply(
      {
        services: [
          { id: 9, proxy: { hosts: ['nine.test'] } },
          { id: 10, proxy: { hosts: ['api.ten.test'] } },
          { id: 11, proxy: { hosts: ['eleven.test'] } },
        ],
      },
      't',
    );
    assert.deepEqual(
      m.store
        .all()
        .map((s) => s.id)
        .sort(),
      ['10', '9'],
    );
  });

  it('overrides every backend with BACKEND_ENDPOINT_OVERRIDE', async () => {
    const m = await manager({ BACKEND_ENDPOINT_OVERRIDE: 'https://backend.internal:3000' });
    await m.apply(
      { services: [{ id: 1, proxy: { hosts: ['o.test'], backend: { endpoint: 'https://su1.3scale.net', host: 'su1.3scale.net' } } }] },
      't',
    );
    const backend = m.store.findById('1')!.backend;
    assert.equal(backend.endpoint, 'https://backend.internal:3000');
    assert.equal(backend.host, 'backend.internal');
  });
});
