import assert from 'node:assert/strict';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { connectWebSocket, startWebSocketUpstream, type WebSocketUpstream } from '../../test-support/policies/websocket-peer.js';
import { ForwardProxy } from '../../test-support/forward-proxy.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('websocket through the real gateway', function () {
  let upstream: WebSocketUpstream;
  const gateways: RunningGateway[] = [];

  before(async () => {
    upstream = await startWebSocketUpstream();
  });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await closeAll(upstream);
  });

  async function gatewayWith(chain: unknown[], env: Record<string, string> = {}): Promise<RunningGateway> {
    const gateway = await startGateway(serviceConfiguration(chain, `${upstream.url}/socket`), { env });
    gateways.push(gateway);
    return gateway;
  }

  it('authorizes the handshake, tunnels it to a ws:// upstream and carries messages both ways', async () => {
    const gateway = await gatewayWith([{ name: 'websocket' }, { name: 'apicast' }]);
    const client = await connectWebSocket(`${gateway.url}/chat?user_key=k`, { Host: 'localhost' });
    try {
      assert.equal(client.status, 101);
      assert.equal(await client.exchange('hello'), 'echo: hello');
      assert.equal(await client.exchange('x'.repeat(1000)), `echo: ${'x'.repeat(1000)}`);
    } finally {
      client.close();
    }
    const handshake = upstream.handshakes.at(-1)!;
    assert.equal(handshake['upgrade'], 'websocket');
    assert.match(String(handshake['connection']), /upgrade/i);
  });

  it('still applies apicast authentication to the handshake', async () => {
    const gateway = await gatewayWith([{ name: 'websocket' }, { name: 'apicast' }]);
    await assert.rejects(connectWebSocket(`${gateway.url}/chat`, { Host: 'localhost' }), /handshake refused with 401/);
  });

  it('without the websocket policy the upgrade does not reach the upstream', async () => {
    const gateway = await gatewayWith([{ name: 'apicast' }]);
    const before = upstream.handshakes.length;
    await assert.rejects(connectWebSocket(`${gateway.url}/chat?user_key=k`, { Host: 'localhost' }));
    assert.equal(upstream.handshakes.length, before);
  });

  describe('through a forward proxy (HTTP_PROXY)', () => {
    let proxy: ForwardProxy;
    let guarded: ForwardProxy;
    before(async () => {
      proxy = await new ForwardProxy().start();
      guarded = await new ForwardProxy({ requireAuthorization: `Basic ${Buffer.from('u:p').toString('base64')}` }).start();
    });
    after(async () => {
      await stopAll(proxy, guarded);
    });

    it('the handshake and the messages go through a CONNECT tunnel of the proxy, with its credentials', async () => {
      const url = new URL(guarded.url);
      url.username = 'u';
      url.password = 'p';
      const gateway = await gatewayWith([{ name: 'websocket' }, { name: 'apicast' }], { HTTP_PROXY: url.href });
      const client = await connectWebSocket(`${gateway.url}/chat?user_key=k`, { Host: 'localhost' });
      try {
        assert.equal(client.status, 101);
        assert.equal(await client.exchange('via proxy'), 'echo: via proxy');
      } finally {
        client.close();
      }
      const upstreamAuthority = new URL(upstream.url).host;
      assert.deepEqual(
        guarded.requests.filter((r) => r.target === upstreamAuthority).map((r) => r.method),
        ['CONNECT'],
      );
      assert.equal(guarded.authorizations.at(-1), `Basic ${Buffer.from('u:p').toString('base64')}`);
    });

    it('NO_PROXY sends the upgrade direct; a proxy that refuses the tunnel (http_proxy policy) is a 503', async () => {
      const direct = await gatewayWith([{ name: 'websocket' }, { name: 'apicast' }], {
        HTTP_PROXY: proxy.url,
        NO_PROXY: '127.0.0.1,localhost',
      });
      const before = proxy.requests.length;
      const client = await connectWebSocket(`${direct.url}/chat?user_key=k`, { Host: 'localhost' });
      client.close();
      assert.equal(client.status, 101);
      assert.equal(proxy.requests.length, before, 'the proxy saw nothing');

      // The http_proxy policy's proxy is the upstream's only (HTTP_PROXY would also take the backend calls).
      const refused = await gatewayWith([
        { name: 'websocket' },
        { name: 'http_proxy', configuration: { http_proxy: guarded.url } },
        { name: 'apicast' },
      ]);
      await assert.rejects(connectWebSocket(`${refused.url}/chat?user_key=k`, { Host: 'localhost' }), /handshake refused with 503/);
      // The log line reaches us through the child's stdout: give it a moment.
      const line = /forward proxy http:\/\/127\.0\.0\.1:\d+ refused the tunnel: 407/;
      for (let i = 0; i < 40 && !line.test(refused.logs()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(refused.logs(), line);
    });
  });
});
