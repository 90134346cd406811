/**
 * OIDC discovery of portal configurations (gateway.md §2.5) and the level of
 * its failure logs (APICAST_OIDC_LOG_LEVEL, §1.6), against a real local
 * issuer; then end to end: an `oidc` service loaded from the fake portal
 * accepts the issuer's tokens.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { FakePortal, startFakePortal } from '../../test-support/fake-portal.js';
import { send } from '../../test-support/http-client.js';
import { startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { freePort } from '../../../test/support/ports.js';
import type { LogSink } from './log-sink.js';
import { OidcDiscovery, type OidcLogLevel } from './oidc-discovery.js';

function recordingLog(): LogSink & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    debug: (message) => lines.push({ level: 'debug', message }),
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
  };
}

const discovery = (log: LogSink, cacheSeconds = 300, logLevel: OidcLogLevel = 'err') =>
  new OidcDiscovery({ http: { userAgent: 'test', timeoutMs: 3000 }, cacheSeconds, log, logLevel });

describe('OIDC discovery of portal configurations (gateway.md §2.5)', function () {
  this.timeout(60_000);
  let issuer: TestOidcIssuer;
  beforeEach(async () => {
    issuer = await TestOidcIssuer.start();
  });
  afterEach(async () => {
    await issuer.stop();
  });

  it('fills the oidc array index-aligned with services: issuer, discovery document, RSA keys as PEM by kid; Basic auth from the endpoint', async () => {
    const log = recordingLog();
    const configuration = await discovery(log).addEntries({
      services: [
        { id: 1, proxy: { hosts: ['plain.test'] } },
        { id: 2, proxy: { hosts: ['oidc.test'], oidc_issuer_endpoint: issuer.endpointWithCredentials } },
      ],
    });
    assert.equal(configuration.oidc?.[0], false, 'a service without an issuer has no entry');
    const entry = configuration.oidc[1];
    assert.ok(entry, 'the oidc service has an entry');
    assert.equal(entry.issuer, issuer.url);
    assert.equal(entry.service_id, 2);
    assert.equal((entry.config as Record<string, unknown>).jwks_uri, `http://127.0.0.1:${issuer.port}/jwks`);
    const pem = entry.keys?.['key-1']?.pem;
    assert.match(String(pem), /^-----BEGIN PUBLIC KEY-----/);
    assert.equal(createPublicKey(String(pem)).asymmetricKeyType, 'rsa');
    const discoveryCall = issuer.calls.find((c) => c.path.endsWith('/.well-known/openid-configuration'))!;
    assert.equal(discoveryCall.path, '/realms/test/.well-known/openid-configuration', 'discovery without the userinfo in the URL');
    assert.equal(discoveryCall.headers.authorization, `Basic ${Buffer.from('gateway:s3cret').toString('base64')}`);
    assert.deepEqual(log.lines, []);
  });

  it('caches per issuer for APICAST_CONFIGURATION_CACHE seconds; 0 fetches every time', async () => {
    const config = { services: [{ id: 2, proxy: { oidc_issuer_endpoint: issuer.url } }] };
    const cached = discovery(recordingLog(), 300);
    await cached.addEntries(config);
    await cached.addEntries(config);
    assert.equal(issuer.calls.filter((c) => c.path.endsWith('openid-configuration')).length, 1);
    const uncached = discovery(recordingLog(), 0);
    await uncached.addEntries(config);
    await uncached.addEntries(config);
    assert.equal(issuer.calls.filter((c) => c.path.endsWith('openid-configuration')).length, 3);
  });

  it('a failed discovery gives false and is logged at APICAST_OIDC_LOG_LEVEL, without the client secret', async () => {
    const closed = await freePort();
    const config = { services: [{ id: 3, proxy: { oidc_issuer_endpoint: `http://gateway:s3cret@127.0.0.1:${closed}/realms/x` } }] };
    for (const [level, expected] of [
      ['err', 'error'],
      ['warn', 'warn'],
      ['info', 'info'],
      ['debug', 'debug'],
    ] as const) {
      const log = recordingLog();
      const result = await discovery(log, 0, level).addEntries(config);
      assert.deepEqual(result.oidc, [false]);
      assert.equal(log.lines.length, 1);
      assert.equal(log.lines[0].level, expected, `APICAST_OIDC_LOG_LEVEL=${level}`);
      assert.match(log.lines[0].message, /OIDC discovery failed/);
      assert.doesNotMatch(log.lines[0].message, /s3cret/);
    }
  });

  describe('end to end with the fake portal', () => {
    let portal: FakePortal;
    let upstream: TestUpstream;
    let gateway: OpsGateway | undefined;
    beforeEach(async () => {
      portal = await startFakePortal();
      upstream = await TestUpstream.start();
    });
    afterEach(async () => {
      await gateway?.stop();
      gateway = undefined;
      await portal.stop();
      await upstream.stop();
    });

    it("an oidc service loaded from the portal accepts the issuer's tokens and refuses others", async () => {
      portal.publish({
        id: 7,
        backend_version: 'oauth',
        proxy: {
          hosts: ['oidc.example.com'],
          api_backend: upstream.url,
          authentication_method: 'oidc',
          oidc_issuer_endpoint: issuer.endpointWithCredentials,
          proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
        },
      });
      gateway = await startOpsGateway({ env: { THREESCALE_PORTAL_ENDPOINT: portal.endpoint() } });
      const token = await issuer.token({ azp: 'client-1' });
      const ok = await send(gateway.url, '/', { host: 'oidc.example.com', headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200, ok.body);
      assert.equal(upstream.requests.length, 1);
      const forged = `${token.slice(0, -4)}AAAA`;
      const refused = await send(gateway.url, '/', { host: 'oidc.example.com', headers: { authorization: `Bearer ${forged}` } });
      assert.equal(refused.status, 403);
      assert.equal(upstream.requests.length, 1);
    });
  });
});
