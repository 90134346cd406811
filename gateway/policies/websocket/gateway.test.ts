import assert from 'node:assert/strict';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { connectWebSocket, startWebSocketUpstream, type WebSocketUpstream } from '../../test-support/policies/websocket-peer.js';

describe('websocket through the real gateway', function () {
  let upstream: WebSocketUpstream;
  const gateways: RunningGateway[] = [];

  before(async () => { upstream = await startWebSocketUpstream(); });
  after(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
    await upstream?.close();
  });

  async function gatewayWith(chain: unknown[]): Promise<RunningGateway> {
    const gateway = await startGateway(serviceConfiguration(chain, `${upstream.url}/socket`));
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
});
