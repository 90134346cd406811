/**
 * request_unbuffered against the real gateway: a 200 MB chunked upload with
 * the retry policy in the chain (which alone buffers bodies to replay them)
 * reaches the upstream while it is still being sent, whole, and the worker's
 * memory stays far below the body; without request_unbuffered the same chain
 * holds a 50 MB body before the upstream sees a byte.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { TestUpstream } from '../../test-support/upstream.js';
import { residentBytes, servingPid } from '../../test-support/serving-pid.js';
import { runGatewayToExit } from '../../test-support/run-to-exit.js';
import { stopAll } from '../../test-support/teardown.js';

const MB = 1024 * 1024;
/** The control's body, and the size the brief asks for. */
const SIZE = 50 * MB;
/**
 * The streamed body: 4 × SIZE. Streamed chunks are garbage that V8 collects
 * lazily (its external-memory trigger is around 64 MB), so a 50 MB stream
 * alone grows the RSS by about its size either way; at 200 MB a growth
 * bounded well below the body is what tells streaming from holding it.
 */
const STREAMED = 4 * SIZE;

/** Bytes of the current upload handed to the client so far; the upstream notes it at its first body byte. */
let sent = 0;
let sentAtFirstUpstreamByte: number | undefined;

/** `size` bytes in 64 KiB chunks, never held whole by the test. */
function upload(size: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 7);
  sent = 0;
  sentAtFirstUpstreamByte = undefined;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

function expectedDigest(size: number): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(64 * 1024, 7);
  for (let n = 0; n < size; n += chunk.length) hash.update(chunk);
  return hash.digest('hex');
}

/** Sends the upload chunked and returns the status and the worker's RSS growth during it. */
async function measuredUpload(gateway: RunningGateway, host: string, size: number): Promise<{ status: number; growth: number }> {
  const pid = await servingPid(gateway);
  const baseline = await residentBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    residentBytes(pid).then(
      (rss) => {
        peak = Math.max(peak, rss);
      },
      () => undefined,
    );
  }, 20);
  try {
    const response = await request(`${gateway.url}/upload`, { method: 'POST', headers: { host }, body: upload(size) });
    await response.body.dump();
    return { status: response.statusCode, growth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

/** Both chains, with the retry policy: `unbuffered.test` has request_unbuffered in front, `buffered.test` not. */
function startChains(upstream: TestUpstream): Promise<RunningGateway> {
  const retry = { name: 'retry', configuration: { retries: 2 } };
  const base = serviceConfiguration([], upstream.url) as { services: Record<string, unknown>[] };
  const service = (id: number, host: string, chain: unknown[]) => ({
    ...base.services[0],
    id,
    proxy: { ...(base.services[0]['proxy'] as object), hosts: [host], policy_chain: chain },
  });
  const toUpstream = { name: 'upstream', configuration: { rules: [{ regex: '/', url: upstream.url }] } };
  return startGateway(
    {
      services: [
        service(1, 'unbuffered.test', [{ name: 'request_unbuffered' }, retry, toUpstream]),
        service(2, 'buffered.test', [retry, toUpstream]),
      ],
    },
    { env: { APICAST_UPSTREAM_RETRY_CASES: 'http_503' } },
  );
}

/** A fresh gateway per measurement: RSS does not shrink back after a big transfer, so each one starts from a clean process. */
async function uploadThroughFreshGateway(upstream: TestUpstream, host: string, size: number): Promise<{ status: number; growth: number }> {
  const fresh = await startChains(upstream);
  try {
    const warm = await request(`${fresh.url}/warm`, { method: 'POST', headers: { host }, body: 'warm' });
    await warm.body.dump();
    return await measuredUpload(fresh, host, size);
  } finally {
    await fresh.stop();
  }
}

describe('request_unbuffered through the real gateway', function () {
  this.timeout(120_000);
  let upstream: TestUpstream;
  let gateway: RunningGateway;
  const received: { bytes: number; digest: string; chunked: boolean }[] = [];
  let failFirst = false;

  before(async () => {
    upstream = await TestUpstream.start();
    upstream.streamingHandler = (req, res) => {
      if (failFirst) {
        failFirst = false;
        req.resume();
        res.writeHead(503);
        res.end();
        return;
      }
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (c: Buffer) => {
        sentAtFirstUpstreamByte ??= sent;
        hash.update(c);
        bytes += c.length;
      });
      req.on('end', () => {
        received.push({ bytes, digest: hash.digest('hex'), chunked: req.headers['transfer-encoding'] === 'chunked' });
        res.writeHead(200);
        res.end('ok');
      });
    };
    gateway = await startChains(upstream);
  });
  after(async () => {
    await stopAll(gateway, upstream);
  });

  it('a 200 MB chunked upload reaches the upstream whole, the worker RSS growing far less than the body', async () => {
    received.length = 0;
    const { status, growth } = await uploadThroughFreshGateway(upstream, 'unbuffered.test', STREAMED);
    assert.equal(status, 200);
    assert.deepEqual(received.slice(-1), [{ bytes: STREAMED, digest: expectedDigest(STREAMED), chunked: true }]);
    console.log(
      `      worker RSS growth ${(growth / MB).toFixed(1)} MB streaming 200 MB; upstream's first byte after ${((sentAtFirstUpstreamByte ?? 0) / MB).toFixed(1)} MB sent`,
    );
    // Streamed: the upstream had bytes long before the client finished sending.
    assert.ok(
      sentAtFirstUpstreamByte !== undefined && sentAtFirstUpstreamByte < SIZE / 2,
      `upstream's first byte came after ${sentAtFirstUpstreamByte} bytes`,
    );
    // Holding it would cost 200 MB at least (400 MB with the concatenation); measured about 66 MB on Node 20.
    assert.ok(growth < STREAMED / 2, `worker RSS grew ${(growth / MB).toFixed(1)} MB`);
  });

  it('control: the same chain without request_unbuffered buffers the body (retry replay)', async () => {
    received.length = 0;
    const { status, growth } = await uploadThroughFreshGateway(upstream, 'buffered.test', SIZE);
    console.log(`      worker RSS growth ${(growth / MB).toFixed(1)} MB buffering 50 MB`);
    assert.equal(status, 200);
    assert.equal(received.at(-1)?.bytes, SIZE);
    assert.equal(sentAtFirstUpstreamByte, SIZE, 'buffered: the upstream gets nothing before the whole body arrived');
    assert.ok(growth > SIZE, `expected the body held in memory, RSS grew ${(growth / MB).toFixed(1)} MB`);
  });

  it('a streamed request is not retried (it cannot be replayed); the buffered chain retries', async () => {
    received.length = 0;
    failFirst = true;
    const unbuffered = await request(`${gateway.url}/again`, {
      method: 'POST',
      headers: { host: 'unbuffered.test' },
      body: Readable.from([Buffer.from('abc')]),
    });
    await unbuffered.body.dump();
    assert.equal(unbuffered.statusCode, 503);
    failFirst = true;
    const buffered = await request(`${gateway.url}/again`, {
      method: 'POST',
      headers: { host: 'buffered.test' },
      body: Readable.from([Buffer.from('abc')]),
    });
    await buffered.body.dump();
    assert.equal(buffered.statusCode, 200);
    assert.deepEqual(
      received.map((r) => r.bytes),
      [3],
    );
  });

  it('a configuration that is not an object is refused, naming the policy configuration', async () => {
    const { code, output } = await runGatewayToExit({
      services: [{ id: 1, proxy: { hosts: ['x'], policy_chain: [{ name: 'request_unbuffered', configuration: true }] } }],
    });
    assert.notEqual(code, 0);
    assert.match(output, /policy_chain.0.configuration: must be object/);
  });
});
