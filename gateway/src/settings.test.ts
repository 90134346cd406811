import assert from 'node:assert/strict';
import { parseSettings, SettingsError } from './settings.js';

describe('settings (env vars, spec README)', () => {
  it('parses booleans 1/true/yes/on and 0/false/no/off/empty, case-insensitively', () => {
    for (const value of ['1', 'true', 'YES', 'On']) assert.equal(parseSettings({ APICAST_PATH_ROUTING: value }).pathRouting, true, value);
    for (const value of ['0', 'false', 'No', 'OFF', ''])
      assert.equal(parseSettings({ APICAST_PATH_ROUTING: value }).pathRouting, false, value);
  });

  it('rejects any other boolean value naming the variable', () => {
    assert.throws(
      () => parseSettings({ APICAST_RESPONSE_CODES: 'maybe' }),
      (e: unknown) => e instanceof SettingsError && e.variable === 'APICAST_RESPONSE_CODES' && /maybe/.test(e.message),
    );
  });

  it('rejects an unknown management mode naming the variable', () => {
    assert.throws(
      () => parseSettings({ APICAST_MANAGEMENT_API: 'everything' }),
      (e: unknown) => e instanceof SettingsError && e.variable === 'APICAST_MANAGEMENT_API',
    );
  });

  it('applies the ports and defaults of the spec README', () => {
    const s = parseSettings({});
    assert.deepEqual([s.httpPort, s.managementPort, s.metricsPort, s.echoPort], [8080, 8090, 9421, 8081]);
    assert.equal(s.loader, 'boot');
    assert.equal(s.configurationCache, 300);
    assert.equal(s.backendCacheHandler, 'strict');
    assert.equal(s.managementApi, 'status');
    assert.equal(parseSettings({ THREESCALE_DEPLOYMENT_ENV: 'staging' }).loader, 'lazy');
  });

  it('lists ignored Lua-only variables and deprecation notices', () => {
    const s = parseSettings({
      APICAST_MODULE: 'x',
      APICAST_CUSTOM_CONFIG: 'y',
      APICAST_SERVICES: '1,2',
      APICAST_VALIDATE_POLICY_CONFIGS: 'true',
    });
    // APICAST_MODULE: removed from APIcast, so a deprecation notice rather than a Lua-only one (settings/since-3-11.ts).
    assert.deepEqual(s.ignoredVariables, ['APICAST_CUSTOM_CONFIG']);
    assert.deepEqual(s.servicesList, ['1', '2']);
    assert.equal(s.notices.length, 3);
  });

  it('reads lists, proxies (lowercase first) and per-service versions', () => {
    const s = parseSettings({
      APICAST_POLICY_LOAD_PATH: '/a:/b',
      http_proxy: 'http://lower:1',
      HTTP_PROXY: 'http://upper:1',
      APICAST_SERVICE_42_CONFIGURATION_VERSION: '7',
    });
    assert.deepEqual(s.policyLoadPath, ['/a', '/b']);
    assert.equal(s.httpProxy, 'http://lower:1');
    assert.equal(s.serviceConfigurationVersions.get('42'), '7');
  });

  it('proxy URLs: a bare host:port is an http:// proxy; a bad or socks URL exits naming the variable, without the password', () => {
    assert.equal(parseSettings({ HTTPS_PROXY: 'proxy.internal:3128' }).httpsProxy, 'http://proxy.internal:3128');
    assert.equal(parseSettings({ ALL_PROXY: 'https://u:p@proxy:443' }).allProxy, 'https://u:p@proxy:443');
    assert.equal(parseSettings({ NO_PROXY: '*' }).noProxy, '*');
    assert.throws(
      () => parseSettings({ https_proxy: 'socks5://u:s3cret@p:1080' }),
      (e: unknown) =>
        e instanceof SettingsError && e.variable === 'https_proxy' && !/s3cret/.test(e.message) && /only http/.test(e.message),
    );
    assert.throws(
      () => parseSettings({ HTTP_PROXY: 'http://u:s3cret@[bad' }),
      (e: unknown) => e instanceof SettingsError && e.variable === 'HTTP_PROXY' && !/s3cret/.test(e.message),
    );
  });

  it('rejects a port that is not a port', () => {
    assert.throws(() => parseSettings({ APICAST_HTTP_PORT: '99999' }), /APICAST_HTTP_PORT/);
  });
});
