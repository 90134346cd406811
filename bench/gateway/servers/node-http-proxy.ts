/**
 * Peer proxy: node-http-proxy on Node's own HTTP server, with a keep-alive
 * agent towards the upstream and no logic. `node node-http-proxy.js PORT UPSTREAM_URL`.
 */
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';

const [port, target] = [Number(process.argv[2]), process.argv[3]];
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const proxy = httpProxy.createProxyServer({ target, agent });
proxy.on('error', (_error, _req, res) => {
  if ('writeHead' in res && !res.headersSent) res.writeHead(502);
  res.end();
});
const server = createServer((req, res) => {
  proxy.web(req, res);
});
server.keepAliveTimeout = 75_000;
server.listen(port, '127.0.0.1');
