/**
 * One runtime per gateway, proven by restarting: the gateway starts and
 * drains several times in one process with Redis (rate_limit), gRPC (an
 * HTTP/2 + TLS upstream) and the HTTPS listener in use, and afterwards the
 * process holds no more sockets, servers or timers than before the first
 * start, and the Redis server no more clients.
 */
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { connect, createSecureServer, type Http2SecureServer, type IncomingHttpHeaders } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { parseSettings } from '../settings.js';
import { silentLogger } from '../logging/logger.js';
import { startWorker } from '../workers/start-worker.js';
import { freePort } from '../../../test/support/ports.js';
import { redisCommand, startRedis, type RedisServer } from '../../../test/support/redis.js';
import { FakeBackend } from '../../test-support/fake-backend.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { tlsMaterial } from '../../test-support/policies/tls-material.js';
import { stopAll } from '../../test-support/teardown.js';

const CYCLES = 3;
/** Handle kinds a stopped gateway could leave behind. */
const WATCHED = ['TCPSocketWrap', 'TCPServerWrap', 'TLSWrap', 'Http2Session', 'Timeout', 'Immediate'];

function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (WATCHED.includes(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

async function redisClients(redis: RedisServer): Promise<number> {
  const info = await redisCommand(redis.port, 'INFO clients');
  // The probe's own connection is one of them.
  return Number(/connected_clients:(\d+)/.exec(info)?.[1]) - 1;
}

function grpcCall(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/demo.Echo/Say',
      ':authority': 'grpc.test',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let status = '';
    stream.on('trailers', (trailers: IncomingHttpHeaders) => {
      status = String(trailers['grpc-status']);
    });
    stream.on('data', () => undefined);
    stream.on('end', () => {
      session.close();
      resolve(status);
    });
    stream.on('error', reject);
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

describe('gateway runtime: start and drain repeatedly in one process, nothing left behind', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let backend: FakeBackend;
  let upstream: TestUpstream;
  let grpcUpstream: Http2SecureServer | undefined;
  let configFile: string;

  before(async () => {
    redis = await startRedis();
    backend = await FakeBackend.start({ serviceTokens: { '1': 't' }, applications: [{ user_key: 'k' }] });
    upstream = await TestUpstream.start();
    const tls = await tlsMaterial();
    grpcUpstream = createSecureServer({ cert: tls.server.cert, key: tls.server.key });
    grpcUpstream.on('stream', (stream) => {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => {
          stream.sendTrailers({ 'grpc-status': '0' });
        });
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((resolve) => grpcUpstream!.listen(0, '127.0.0.1', resolve));
    const grpcUrl = `https://127.0.0.1:${(grpcUpstream.address() as AddressInfo).port}`;
    configFile = join(await mkdtemp(join(tmpdir(), 'runtime-cycles-')), 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        services: [
          {
            id: 1,
            backend_version: '1',
            backend_authentication_type: 'service_token',
            backend_authentication_value: 't',
            proxy: {
              hosts: ['redis.test'],
              api_backend: upstream.url,
              backend: { endpoint: backend.url },
              proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
              policy_chain: [
                {
                  name: 'rate_limit',
                  configuration: {
                    redis_url: redis.url,
                    fixed_window_limiters: [{ key: { name: 'cycles', scope: 'global' }, count: 1000, window: 60 }],
                  },
                },
                { name: 'apicast' },
              ],
            },
          },
          {
            id: 2,
            backend_version: '1',
            proxy: {
              hosts: ['grpc.test'],
              api_backend: grpcUrl,
              proxy_rules: [],
              policy_chain: [{ name: 'grpc' }, { name: 'upstream', configuration: { rules: [{ regex: '/', url: grpcUrl }] } }],
            },
          },
        ],
      }),
    );
  });
  after(async () => {
    await new Promise<void>((resolve) =>
      grpcUpstream?.close(() => {
        resolve();
      }),
    );
    await stopAll(upstream, backend, redis);
  });

  it(`serves through Redis, gRPC and HTTPS in each of ${CYCLES} lives, and the process ends as it began`, async () => {
    const redisBefore = await redisClients(redis);
    // After an await: mocha's own timeout timer for this test is armed by then.
    const before = resources();
    const insecure = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const [http, https, management, echo, metrics] = [
          await freePort(),
          await freePort(),
          await freePort(),
          await freePort(),
          await freePort(),
        ];
        const settings = parseSettings({
          THREESCALE_CONFIG_FILE: configFile,
          APICAST_ACCESS_LOG_FILE: '/dev/null',
          APICAST_HTTP_PORT: String(http),
          APICAST_HTTPS_PORT: String(https),
          APICAST_MANAGEMENT_PORT: String(management),
          APICAST_ECHO_PORT: String(echo),
          APICAST_METRICS_PORT: String(metrics),
        });
        const app = await startWorker(settings, silentLogger());
        const plain = await request(`http://127.0.0.1:${http}/a?user_key=k`, { headers: { host: 'redis.test' }, reset: true });
        await plain.body.dump();
        assert.equal(plain.statusCode, 200, `cycle ${cycle}: HTTP through rate_limit (Redis) and apicast`);
        const secure = await request(`https://127.0.0.1:${https}/b?user_key=k`, {
          headers: { host: 'redis.test' },
          dispatcher: insecure,
          reset: true,
        });
        await secure.body.dump();
        assert.equal(secure.statusCode, 200, `cycle ${cycle}: the same through the HTTPS listener`);
        assert.equal(await grpcCall(https), '0', `cycle ${cycle}: gRPC through the HTTPS listener to the HTTP/2 upstream`);
        assert.ok((await redisClients(redis)) > redisBefore, `cycle ${cycle}: the gateway holds a Redis connection while it runs`);
        await backend.waitForCalls(2 * (cycle + 1));
        await app.drain();
      }
    } finally {
      await insecure.close();
    }
    // Closed sockets and cleared timers leave the list on the next turns of the loop.
    let after = resources();
    for (let i = 0; i < 50 && [...after].some(([kind, n]) => n > (before.get(kind) ?? 0)); i++) {
      await sleep(100);
      after = resources();
    }
    for (const kind of WATCHED) {
      assert.ok(
        (after.get(kind) ?? 0) <= (before.get(kind) ?? 0),
        `${kind}: ${before.get(kind) ?? 0} before, ${after.get(kind) ?? 0} after ${CYCLES} lives`,
      );
    }
    assert.equal(await redisClients(redis), redisBefore, 'every Redis client the gateways opened is closed');
  });
});
