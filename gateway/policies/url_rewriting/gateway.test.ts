import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startGateway, serviceConfiguration, type RunningGateway } from '../../test-support/policies/gateway-process.js';
import { startUpstream, type UpstreamServer } from '../../test-support/policies/upstream-server.js';
import { closeAll, stopAll } from '../../test-support/teardown.js';

describe('url_rewriting through the real gateway', function () {
  let upstream: UpstreamServer;
  let gateway: RunningGateway;

  before(async () => {
    upstream = await startUpstream();
    gateway = await startGateway(
      serviceConfiguration(
        [
          {
            name: 'url_rewriting',
            configuration: {
              commands: [{ op: 'gsub', regex: '^/old/', replace: '/new/' }],
              query_args_commands: [
                { op: 'push', arg: 'next', value: '/v1/x' },
                { op: 'set', arg: 'path', value: '{{ uri }}', value_type: 'liquid' },
              ],
            },
          },
          { name: 'apicast' },
        ],
        upstream.url,
      ),
    );
  });
  after(async () => {
    await stopAll(gateway);
    await closeAll(upstream);
  });

  it('the upstream receives the rewritten path and the re-serialized query', async () => {
    const response = await request(`${gateway.url}/old/items?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200, await response.body.text());
    assert.equal(upstream.received.at(-1)?.url, '/new/items?user_key=k&next=%2Fv1%2Fx&path=%2Fnew%2Fitems');
  });

  it('a reload with an invalid regex is refused and the last good configuration keeps serving', async () => {
    await gateway.writeConfig(
      serviceConfiguration(
        [{ name: 'url_rewriting', configuration: { commands: [{ op: 'sub', regex: '(unclosed', replace: '/x' }] } }, { name: 'apicast' }],
        upstream.url,
      ),
    );
    gateway.process.signal('SIGHUP');
    await sleep(500);
    const response = await request(`${gateway.url}/old/again?user_key=k`, { headers: { host: 'localhost' } });
    assert.equal(response.statusCode, 200, await response.body.text());
    assert.match(upstream.received.at(-1)?.url ?? '', /^\/new\/again\?/);
    assert.match(gateway.logs(), /url_rewriting/);
    assert.match(gateway.logs(), /commands\[0\]\.regex/);
  });

  it('at boot, an invalid policy configuration stops the gateway with the service, policy and field named', async () => {
    await assert.rejects(
      startGateway(
        serviceConfiguration(
          [{ name: 'url_rewriting', configuration: { commands: [{ op: 'sub', regex: 'a', replace: '/x', options: 'q' }] } }],
          upstream.url,
        ),
      ),
      (error: Error) =>
        /exited with code [1-9]/.test(error.message) &&
        /42/.test(error.message) &&
        /url_rewriting/.test(error.message) &&
        /commands\[0\]\.options/.test(error.message),
    );
  });
});
