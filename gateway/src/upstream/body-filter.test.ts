/**
 * Body filters and Content-Length through the real gateway: a body_filter
 * that only observes (content_caching) keeps the upstream's Content-Length;
 * a policy that declares a body change (ctx.response.rewritesBody()) gets a
 * chunked response with its new body.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startGateway, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

const BODY = 'hello from the upstream';
const always = { combine_op: 'and', operations: [{ left: 'a', op: '==', right: 'a' }] };

async function shoutingPolicyRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'policies-'));
  const dir = join(root, 'shout', '1.0.0');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'apicast-policy.json'),
    JSON.stringify({ name: 'shout', summary: 'upper-cases and suffixes bodies', version: '1.0.0', configuration: { type: 'object' } }),
  );
  // Declares only for /shout: other responses of the same service keep their length.
  await writeFile(
    join(dir, 'index.js'),
    [
      'export default () => ({',
      '  header_filter(ctx) { if (ctx.request.path.startsWith("/shout")) ctx.response.rewritesBody(); },',
      '  body_filter(ctx, chunk, eof) {',
      '    if (!ctx.response.bodyRewritten) return;',
      '    const out = Buffer.from(chunk.toString().toUpperCase());',
      '    return eof ? Buffer.concat([out, Buffer.from("!!!")]) : out;',
      '  },',
      '});',
    ].join('\n'),
  );
  return root;
}

function service(id: number, host: string, upstreamUrl: string, chain: unknown[]): Record<string, unknown> {
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

describe('body filters keep Content-Length unless a policy declares a body change (real gateway)', function () {
  this.timeout(60_000);
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(BODY) });
      res.end(BODY);
    });
    gateway = await startGateway(
      {
        services: [
          service(1, 'cache.test', upstream.url, [
            { name: 'content_caching', configuration: { rules: [{ cache: true, header: 'X-Cache-Status', condition: always }] } },
          ]),
          service(2, 'shout.test', upstream.url, [{ name: 'shout', version: '1.0.0' }]),
        ],
        // content_caching keeps its entries on disk under the temp dir, shared by workers and runs:
        // a private TMPDIR makes the first request a MISS whatever ran before.
      },
      { env: { APICAST_POLICY_LOAD_PATH: await shoutingPolicyRoot(), TMPDIR: await mkdtemp(join(tmpdir(), 'body-filter-cache-')) } },
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  async function get(host: string, path: string) {
    const response = await request(`${gateway.url}${path}`, { headers: { host } });
    return { headers: response.headers, body: await response.body.text() };
  }

  it('content_caching (observer) relays the upstream Content-Length, on a miss and on a hit', async () => {
    const miss = await get('cache.test', '/c');
    assert.equal(miss.headers['x-cache-status'], 'MISS');
    assert.equal(miss.headers['content-length'], String(BODY.length));
    assert.equal(miss.headers['transfer-encoding'], undefined);
    assert.equal(miss.body, BODY);
    const hit = await get('cache.test', '/c');
    assert.equal(hit.headers['x-cache-status'], 'HIT');
    assert.equal(hit.body, BODY);
  });

  it('a policy that declares a body change gets a chunked response with its new body', async () => {
    const shouted = await get('shout.test', '/shout');
    assert.equal(shouted.body, `${BODY.toUpperCase()}!!!`);
    assert.equal(shouted.headers['content-length'], undefined);
    assert.equal(shouted.headers['transfer-encoding'], 'chunked');
  });

  it('the same policy not declaring for a response leaves it untouched with its length', async () => {
    const plain = await get('shout.test', '/quiet');
    assert.equal(plain.body, BODY);
    assert.equal(plain.headers['content-length'], String(BODY.length));
  });
});
