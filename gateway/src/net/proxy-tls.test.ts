/**
 * Forward proxies and upstream TLS through the real gateway process
 * (gateway.md §1.8, §4.9; policies.md §5.14): TLS 1.3-only upstreams direct
 * and through a CONNECT tunnel, Basic authentication to the proxy (env and
 * http_proxy policy), a proxy that answers 407, the client certificate inside
 * the tunnel, and a 100 MB body streamed through the proxy with flat memory.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tlsSocketOf } from '../../test-support/tls-socket.js';
import { request } from 'undici';
import { defaultErrorPage } from '../http/error-page.js';
import { startForwardProxy, type ForwardProxy } from '../../test-support/forward-proxy.js';
import { tlsMaterial, type TlsMaterial } from '../../test-support/policies/tls-material.js';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { TestOidcIssuer } from '../../test-support/policies/oidc-issuer.js';
import { stopAll } from '../../test-support/teardown.js';

const USER = 'proxy-user';
const PASSWORD = 'S3cr3t-p@ss';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const BIG = 100 * 1024 * 1024;

function service(id: number, host: string, upstreamUrl: string, chain: unknown[] = []): Record<string, unknown> {
  return {
    id,
    backend_version: '1',
    proxy: {
      hosts: [host],
      api_backend: upstreamUrl,
      proxy_rules: [],
      policy_chain: [...chain, { name: 'upstream', configuration: { rules: [{ regex: '/', url: upstreamUrl }] } }],
    },
  };
}

async function listen(server: HttpServer | HttpsServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: HttpServer | HttpsServer | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}

/** VmRSS in KiB of `pid` plus its descendants (the gateway may run workers). */
function rssKiB(pid: number): number {
  let total = 0;
  const visit = (p: number): void => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      for (const child of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(child));
    } catch {
      /* gone */
    }
  };
  visit(pid);
  return total;
}

describe('forward proxy and upstream TLS through the real gateway', function () {
  this.timeout(120_000);
  let tls: TlsMaterial;
  let tls13: HttpsServer;
  let mtls: HttpsServer;
  let plain: HttpServer;
  let big: HttpServer;
  let tls13Url: string;
  let mtlsUrl: string;
  let plainUrl: string;
  let bigUrl: string;
  let bigTls: HttpsServer;
  let bigTlsUrl: string;
  let authProxy: ForwardProxy;
  let refusingProxy: ForwardProxy;
  const gateways: RunningGateway[] = [];

  before(async () => {
    tls = await tlsMaterial();
    tls13 = createHttpsServer({ cert: tls.server.cert, key: tls.server.key, minVersion: 'TLSv1.3' }, (req, res) => {
      if (req.url === '/headers') {
        res.end(JSON.stringify(req.rawHeaders));
        return;
      }
      res.end(`tls13 ${tlsSocketOf(req).getProtocol()} ${req.url}`);
    });
    tls13Url = `https://127.0.0.1:${await listen(tls13)}`;
    mtls = createHttpsServer(
      { cert: tls.server.cert, key: tls.server.key, ca: tls.ca.cert, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = tlsSocketOf(req).getPeerCertificate();
        res.end(`mtls client=${String(peer.subject.CN ?? 'none')}`);
      },
    );
    mtlsUrl = `https://127.0.0.1:${await listen(mtls)}`;
    plain = createHttpServer((req, res) =>
      res.end(
        `plain ${req.url ?? ''} via=${String(req.headers['x-forwarded-by-test-proxy'] ?? 'direct')} auth=${req.headers['proxy-authorization'] ?? 'none'}`,
      ),
    );
    plainUrl = `http://127.0.0.1:${await listen(plain)}`;
    big = createHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(BIG) });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < BIG) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    bigUrl = `http://127.0.0.1:${await listen(big)}`;
    bigTls = createHttpsServer({ cert: tls.server.cert, key: tls.server.key }, (req, res) => big.emit('request', req, res));
    bigTlsUrl = `https://127.0.0.1:${await listen(bigTls)}`;
    authProxy = await startForwardProxy({ requireAuthorization: BASIC });
    refusingProxy = await startForwardProxy({ requireAuthorization: 'Basic never' });
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await stopAll(authProxy, refusingProxy);
    await Promise.all([tls13, mtls, plain, big, bigTls].map(close));
  });

  async function gateway(services: unknown[], env: Record<string, string>): Promise<RunningGateway> {
    const g = await startGateway({ services }, { env: { APICAST_LOG_LEVEL: 'info', ...env } });
    gateways.push(g);
    return g;
  }

  async function get(g: RunningGateway, host: string, path: string): Promise<{ status: number; body: string }> {
    const response = await request(`${g.url}${path}`, { headers: { host } });
    return { status: response.statusCode, body: await response.body.text() };
  }

  const credentialed = (proxy: ForwardProxy): string => `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}`;

  it('a TLS 1.3-only upstream works directly', async () => {
    const g = await gateway([service(1, 'tls13.test', tls13Url)], {});
    const answer = await get(g, 'tls13.test', '/direct');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'tls13 TLSv1.3 /direct');
  });

  describe('HTTP_PROXY / HTTPS_PROXY with user:password@', () => {
    let g: RunningGateway;
    before(async () => {
      g = await gateway(
        [
          service(1, 'tls13.test', tls13Url),
          service(2, 'mtls.test', mtlsUrl),
          service(3, 'plain.test', plainUrl),
          service(4, 'big.test', bigUrl),
          service(5, 'big-tls.test', bigTlsUrl),
        ],
        {
          HTTP_PROXY: credentialed(authProxy),
          HTTPS_PROXY: credentialed(authProxy),
          APICAST_PROXY_HTTPS_CERTIFICATE: tls.client.certPath,
          APICAST_PROXY_HTTPS_CERTIFICATE_KEY: tls.client.keyPath,
          APICAST_LOG_LEVEL: 'debug',
        },
      );
    });

    it('TLS 1.3-only upstream through the CONNECT tunnel, Proxy-Authorization on CONNECT', async () => {
      const before = authProxy.requests.length;
      const answer = await get(g, 'tls13.test', '/tunnel');
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'tls13 TLSv1.3 /tunnel');
      assert.deepEqual(
        authProxy.requests.slice(before).map((r) => r.method),
        ['CONNECT'],
      );
      assert.equal(authProxy.authorizations.at(-1), BASIC);
    });

    it('through the tunnel, repeated request headers and a client Proxy-Authorization reach the upstream as sent', async () => {
      const response = await request(`${g.url}/headers`, {
        headers: ['host', 'tls13.test', 'x-dup', 'one', 'x-dup', 'two', 'proxy-authorization', 'Basic client-own'],
      });
      assert.equal(response.statusCode, 200);
      const raw = JSON.parse(await response.body.text()) as string[];
      const values = (name: string): string[] => raw.filter((_, i) => i % 2 === 1 && raw[i - 1].toLowerCase() === name);
      assert.deepEqual(values('x-dup'), ['one', 'two']);
      assert.deepEqual(values('proxy-authorization'), ['Basic client-own']);
      assert.equal(authProxy.authorizations.at(-1), BASIC, "the CONNECT carried the gateway's credentials");
    });

    it('plain http: absolute-form request with Proxy-Authorization, which the upstream never sees', async () => {
      const before = authProxy.requests.length;
      const answer = await get(g, 'plain.test', '/p?q=1');
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'plain /p?q=1 via=1 auth=none');
      assert.deepEqual(authProxy.requests.slice(before), [{ method: 'GET', target: `${plainUrl}/p?q=1` }]);
      assert.equal(authProxy.authorizations.at(-1), BASIC);
    });

    it('mTLS: the gateway-wide client certificate is presented inside the tunnel', async () => {
      const before = authProxy.requests.length;
      const answer = await get(g, 'mtls.test', '/m');
      assert.equal(answer.status, 200);
      assert.match(answer.body, /^mtls client=(?!none)/);
      assert.equal(authProxy.requests.slice(before)[0]?.method, 'CONNECT');
    });

    for (const [what, host, target] of [
      ['absolute form', 'big.test', () => `${bigUrl}/big`],
      ['CONNECT tunnel', 'big-tls.test', () => new URL(bigTlsUrl).host],
    ] as const) {
      it(`100 MB through the proxy (${what}): the gateway streams it (RSS growth printed and bounded)`, async () => {
        // One unmeasured transfer first: pools, TLS contexts and the allocator's first growth are not buffering.
        const warmUp = await request(`${g.url}/big`, { headers: { host } });
        for await (const _chunk of warmUp.body) {
          /* drain */
        }
        const pid = g.process.pid!;
        const baseline = rssKiB(pid);
        let peak = baseline;
        const timer = setInterval(() => {
          peak = Math.max(peak, rssKiB(pid));
        }, 50);
        let received = 0;
        try {
          const response = await request(`${g.url}/big`, { headers: { host } });
          assert.equal(response.statusCode, 200);
          for await (const chunk of response.body) {
            received += (chunk as Buffer).length;
            // A slowish client: the gateway must apply back-pressure instead of buffering.
            if (received % (8 * 1024 * 1024) < 65_536) await new Promise((r) => setTimeout(r, 5));
          }
        } finally {
          clearInterval(timer);
        }
        assert.equal(received, BIG);
        const growthMiB = (peak - baseline) / 1024;
        console.log(
          `      100 MB through the forward proxy (${what}): gateway RSS ${(baseline / 1024).toFixed(1)} MiB → peak ${(peak / 1024).toFixed(1)} MiB (growth ${growthMiB.toFixed(1)} MiB)`,
        );
        assert.ok(growthMiB < 60, `RSS grew ${growthMiB.toFixed(1)} MiB`);
        assert.equal(authProxy.requests.at(-1)?.target, target());
      });
    }

    it('the proxy password never appears in the logs', () => {
      assert.doesNotMatch(g.logs(), new RegExp(PASSWORD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.doesNotMatch(g.logs(), new RegExp(encodeURIComponent(PASSWORD)));
      assert.doesNotMatch(g.logs(), new RegExp(BASIC.slice('Basic '.length)));
    });
  });

  describe('http_proxy policy with user:password@', () => {
    let g: RunningGateway;
    before(async () => {
      const chain = [{ name: 'http_proxy', configuration: { all_proxy: credentialed(authProxy) } }];
      g = await gateway(
        [
          service(1, 'tls13.test', tls13Url, chain),
          service(2, 'plain.test', plainUrl, chain),
          service(3, 'mtls.test', mtlsUrl, [
            ...chain,
            {
              name: 'upstream_mtls',
              configuration: {
                certificate_type: 'path',
                certificate_key_type: 'path',
                certificate: tls.client.certPath,
                certificate_key: tls.client.keyPath,
              },
            },
          ]),
        ],
        { APICAST_LOG_LEVEL: 'debug' },
      );
    });

    it('CONNECT and absolute-form requests carry Proxy-Authorization', async () => {
      const before = authProxy.requests.length;
      assert.deepEqual(await get(g, 'tls13.test', '/a'), { status: 200, body: 'tls13 TLSv1.3 /a' });
      assert.deepEqual(await get(g, 'plain.test', '/b'), { status: 200, body: 'plain /b via=1 auth=none' });
      assert.deepEqual(
        authProxy.requests.slice(before).map((r) => r.method),
        ['CONNECT', 'GET'],
      );
      assert.deepEqual(authProxy.authorizations.slice(before), [BASIC, BASIC]);
    });

    it('upstream_mtls: the policy certificate is presented inside the tunnel', async () => {
      const answer = await get(g, 'mtls.test', '/m');
      assert.equal(answer.status, 200);
      assert.match(answer.body, /^mtls client=(?!none)/);
    });

    it('the proxy password never appears in the logs', () => {
      assert.doesNotMatch(g.logs(), new RegExp(encodeURIComponent(PASSWORD)));
      assert.doesNotMatch(g.logs(), new RegExp(BASIC.slice('Basic '.length)));
    });
  });

  describe('NO_PROXY for clients outside the upstream path (token introspection)', () => {
    let issuer: TestOidcIssuer;
    let proxy: ForwardProxy;
    before(async () => {
      issuer = await TestOidcIssuer.start();
      issuer.introspection.set('good', { active: true });
      proxy = await startForwardProxy();
    });
    after(async () => {
      await stopAll(issuer, proxy);
    });

    const chain = () => [
      {
        name: 'token_introspection',
        configuration: {
          auth_type: 'client_id+client_secret',
          client_id: issuer.client.id,
          client_secret: issuer.client.secret,
          introspection_url: `http://127.0.0.1:${issuer.port}/introspect`,
        },
      },
    ];
    const introspect = async (g: RunningGateway): Promise<number> => {
      const response = await request(`${g.url}/i`, { headers: { host: 'plain.test', authorization: 'Bearer good' } });
      await response.body.text();
      return response.statusCode;
    };

    it('introspection goes through HTTP_PROXY; a host:port NO_PROXY entry keeps only the upstream direct', async () => {
      const upstreamPort = new URL(plainUrl).port;
      const g = await gateway([service(1, 'plain.test', plainUrl, chain())], {
        HTTP_PROXY: proxy.url,
        NO_PROXY: `127.0.0.1:${upstreamPort}`,
      });
      const before = proxy.requests.length;
      assert.equal(await introspect(g), 200);
      assert.deepEqual(proxy.requests.slice(before), [{ method: 'POST', target: `http://127.0.0.1:${issuer.port}/introspect` }]);
    });

    it('an IP NO_PROXY entry keeps introspection and upstream direct', async () => {
      const g = await gateway([service(1, 'plain.test', plainUrl, chain())], { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' });
      const before = proxy.requests.length;
      assert.equal(await introspect(g), 200);
      assert.deepEqual(proxy.requests.slice(before), []);
    });

    it('NO_PROXY=* keeps everything direct', async () => {
      const g = await gateway([service(1, 'plain.test', plainUrl, chain())], { HTTP_PROXY: proxy.url, NO_PROXY: '*' });
      const before = proxy.requests.length;
      assert.equal(await introspect(g), 200);
      assert.deepEqual(proxy.requests.slice(before), []);
    });
  });

  it('an https:// forward proxy: TLS with the proxy, then the CONNECT tunnel with Proxy-Authorization', async () => {
    const secureProxy = await startForwardProxy({ requireAuthorization: BASIC, tls: { cert: tls.server.cert, key: tls.server.key } });
    try {
      const g = await gateway([service(1, 'tls13.test', tls13Url)], {
        HTTPS_PROXY: `https://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${secureProxy.port}`,
      });
      assert.deepEqual(await get(g, 'tls13.test', '/via-tls-proxy'), { status: 200, body: 'tls13 TLSv1.3 /via-tls-proxy' });
      assert.deepEqual(
        secureProxy.requests.map((r) => r.method),
        ['CONNECT'],
      );
      assert.deepEqual(secureProxy.authorizations, [BASIC]);
    } finally {
      await secureProxy.stop();
    }
  });

  describe('a proxy that answers 407', () => {
    let g: RunningGateway;
    before(async () => {
      g = await gateway([service(1, 'tls13.test', tls13Url), service(2, 'plain.test', plainUrl)], {
        HTTP_PROXY: credentialed(refusingProxy),
        HTTPS_PROXY: credentialed(refusingProxy),
      });
    });

    it('https (CONNECT refused): 503 with the stable body, a log line without the password', async () => {
      const answer = await get(g, 'tls13.test', '/x');
      assert.equal(answer.status, 503);
      assert.equal(answer.body, PROXY_FAILURE_BODY);
      await waitFor(() => /407/.test(g.logs()));
      assert.match(g.logs(), /forward proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel: 407/);
      assert.doesNotMatch(g.logs(), new RegExp(encodeURIComponent(PASSWORD)));
    });

    it('http (absolute form): 503 with the stable body too', async () => {
      const answer = await get(g, 'plain.test', '/y');
      assert.equal(answer.status, 503);
      assert.equal(answer.body, PROXY_FAILURE_BODY);
      assert.doesNotMatch(g.logs(), new RegExp(encodeURIComponent(PASSWORD)));
    });
  });
});

const PROXY_FAILURE_BODY = defaultErrorPage(503);

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
}
