import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseUpstream } from '../../src/upstream/upstream.js';
import { HeaderMap } from '../../src/http/header-map.js';
import { connectWebSocket, startWebSocketUpstream, type WebSocketUpstream } from '../../test-support/policies/websocket-peer.js';
import { freePort } from '../../../test/support/ports.js';
import { tunnelUpgrade } from './tunnel.js';

/** An HTTP server whose `upgrade` listener does what the gateway's does after the chain allowed the request. */
async function proxyTo(upstreamUrl: string): Promise<{ url: string; server: Server; statuses: number[] }> {
  const statuses: number[] = [];
  const server = createServer((_req, res) => res.end('plain http'));
  server.on('upgrade', (req, socket, head) => {
    const headers = HeaderMap.fromRaw(req.rawHeaders);
    const upstream = parseUpstream(upstreamUrl);
    headers.set('Host', `${upstream.host}:${upstream.port}`);
    const pairs: [string, string][] = [];
    for (const [name, values] of headers) for (const value of values) pairs.push([name, value]);
    void tunnelUpgrade(socket, head, { upstream, method: req.method ?? 'GET', target: req.url ?? '/', headers: pairs, upgrade: req.headers.upgrade ?? '' })
      .then(({ status }) => statuses.push(status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, statuses };
}

describe('websocket tunnel to the upstream (policies.md §5.37)', () => {
  let upstream: WebSocketUpstream;
  before(async () => { upstream = await startWebSocketUpstream(); });
  after(async () => { await upstream?.close(); });

  it('completes the handshake with a ws:// upstream and carries messages both ways', async () => {
    const proxy = await proxyTo(`${upstream.url}/chat`);
    try {
      const client = await connectWebSocket(`${proxy.url}/room?x=1`, { 'X-Client': 'yes' });
      assert.equal(client.status, 101);
      assert.equal(await client.exchange('hello'), 'echo: hello');
      assert.equal(await client.exchange('x'.repeat(300)), `echo: ${'x'.repeat(300)}`);
      client.close();
      const handshake = upstream.handshakes.at(-1)!;
      assert.equal(handshake['connection'], 'Upgrade');
      assert.equal(handshake['upgrade'], 'websocket');
      assert.equal(handshake['x-client'], 'yes');
      assert.deepEqual(proxy.statuses, [101]);
    } finally {
      proxy.server.close();
    }
  });

  it('relays a handshake the upstream refuses', async () => {
    const proxy = await proxyTo(upstream.url);
    try {
      await assert.rejects(connectWebSocket(`${proxy.url}/`, { Upgrade: 'not-websocket' }), /handshake refused with 400/);
      assert.deepEqual(proxy.statuses, [400]);
    } finally {
      proxy.server.close();
    }
  });

  it('answers 502 when the upstream is down', async () => {
    const port = await freePort();
    const down = await proxyTo(`ws://127.0.0.1:${port}`);
    try {
      await assert.rejects(connectWebSocket(`${down.url}/`), /handshake refused with 502/);
    } finally {
      down.server.close();
    }
  });
});
