/**
 * The benchmark's upstream API: a plain Node HTTP server answering every
 * request with a fixed 21-byte body, keep-alive on. Run as its own process
 * (pinned by the caller): `node upstream.js PORT`.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const body = Buffer.from('hello from upstream\n');
const server = createServer((req, res) => {
  // Drain any request body so the connection can be reused.
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 75_000;
server.listen(port, '127.0.0.1');
