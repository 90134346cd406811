/**
 * Peer proxy: fastify + @fastify/http-proxy with no logic at all (no auth,
 * no mapping rules), forwarding everything to the upstream over its default
 * keep-alive undici pool. `node fastify-proxy.js PORT UPSTREAM_URL`.
 */
import Fastify from 'fastify';
import httpProxy from '@fastify/http-proxy';

const [port, upstream] = [Number(process.argv[2]), process.argv[3]];
const app = Fastify({ logger: false });
await app.register(httpProxy, { upstream });
await app.listen({ port, host: '127.0.0.1' });
