/**
 * Signals and workers on the real gateway (gateway.md §10, spec README
 * "workers"): HUP reloads without failing a request under load, QUIT
 * drains in-flight requests, metrics are summed over the workers.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { send } from '../../test-support/http-client.js';
import { eventually, startOpsGateway, type OpsGateway } from '../../test-support/ops-gateway.js';
import { TestUpstream } from '../../test-support/upstream.js';

const service = (id: number, hosts: string[], upstream: string) => ({
  id,
  proxy: { hosts, api_backend: upstream, proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }] },
});

/**
 * Waits for the gateway to exit, failing with its logs after `ms`: a hang fails this test
 * instead of running into mocha's timeout, whose abandoned test body would go on to touch
 * the next test's gateway.
 */
async function exitsWithin(g: OpsGateway, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const exited = await Promise.race([
    g.process.waitForExit().then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, ms);
    }),
  ]);
  clearTimeout(timer);
  assert.ok(exited, `${what}: still running after ${ms} ms; logs:\n${g.process.logs().slice(-4000)}`);
}

describe('signals and workers on the gateway (gateway.md §10)', function () {
  this.timeout(90_000);
  let upstream: TestUpstream;
  let gateway: OpsGateway | undefined;
  beforeEach(async () => {
    upstream = await TestUpstream.start();
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await upstream.stop();
  });

  it('SIGHUP under load: the new configuration is served and no request fails; metrics add up over workers', async () => {
    gateway = await startOpsGateway({
      config: { services: [service(1, ['load.example.com'], upstream.url)] },
      env: { APICAST_WORKERS: '2' },
    });
    const configFile = gateway.env.THREESCALE_CONFIG_FILE;
    const g = gateway;
    const agent = new Agent({ connections: 8 });
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const loop = async () => {
      while (!stop) {
        try {
          const response = await request(`${g.url}/x?user_key=k`, { headers: { host: 'load.example.com' }, dispatcher: agent });
          await response.body.dump();
          if (response.statusCode === 200) ok++;
          else failures.push(`status ${response.statusCode}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    const loops = Array.from({ length: 8 }, loop);
    for (let i = 1; i <= 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writeFile(
        configFile,
        JSON.stringify({ services: [service(1, ['load.example.com', `reload-${i}.example.com`], upstream.url)] }),
      );
      g.process.signal('SIGHUP');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await Promise.all(loops);
    await agent.close();
    assert.deepEqual(failures, [], 'no request failed during the reloads');
    assert.ok(ok > 50, `load was applied (${ok} requests)`);
    await eventually(
      async () => {
        const statuses = await Promise.all(
          Array.from({ length: 10 }, async () => {
            const response = await request(`${g.url}/?user_key=k`, { headers: { host: 'reload-5.example.com' }, reset: true });
            await response.body.dump();
            return response.statusCode;
          }),
        );
        return statuses.every((s) => s === 200);
      },
      10_000,
      'every worker serves the reloaded configuration',
    );

    const metrics = (await send(g.metrics, '/metrics')).body;
    assert.match(metrics, /^worker_process\{\} 2$/m);
    const counted = Number(/^apicast_status\{status="200"\} (\d+)$/m.exec(metrics)?.[1]);
    assert.ok(counted >= ok, `apicast_status counts the requests of both workers (${counted} >= ${ok})`);
    assert.match(metrics, /^total_response_time_seconds_count\{service_id="",service_system_name=""\} \d+$/m);
  });

  it('SIGQUIT lets a request in flight finish, then the gateway exits 0; SIGTERM exits at once', async () => {
    upstream.handler = (_req, res) => {
      setTimeout(() => {
        res.writeHead(200);
        res.end('slow answer');
      }, 1500);
    };
    gateway = await startOpsGateway({
      config: { services: [service(1, ['slow.example.com'], upstream.url)] },
      env: { APICAST_WORKERS: '2' },
    });
    const inFlight = send(gateway.url, '/?user_key=k', { host: 'slow.example.com' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    gateway.process.signal('SIGQUIT');
    const answer = await inFlight;
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'slow answer');
    await exitsWithin(gateway, 15_000, 'the gateway exits once the drain is over');
    assert.equal(gateway.process.describeExit(), 'exited with code 0');

    gateway = await startOpsGateway({
      config: { services: [service(1, ['slow.example.com'], upstream.url)] },
      env: { APICAST_WORKERS: '1' },
    });
    upstream.handler = () => {
      /* never answers */
    };
    const hanging = send(gateway.url, '/?user_key=k', { host: 'slow.example.com' }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    gateway.process.signal('SIGTERM');
    await exitsWithin(gateway, 10_000, 'the gateway exits on SIGTERM');
    assert.ok(Date.now() - started < 4000, `SIGTERM does not wait for the hanging request (${Date.now() - started} ms)`);
    assert.ok((await hanging) instanceof Error, 'the hanging request was cut');
  });

  it('SIGQUIT as soon as the gateway serves, while a worker may still be booting: every worker drains, exit 0', async () => {
    // Ready means one worker answers; the others can still be starting. A drain they miss
    // would keep the primary waiting for ever (seen on a loaded CI machine).
    gateway = await startOpsGateway({ config: { services: [] }, env: { APICAST_WORKERS: '2' } });
    gateway.process.signal('SIGQUIT');
    await exitsWithin(gateway, 15_000, 'the gateway exits after SIGQUIT');
    assert.equal(gateway.process.describeExit(), 'exited with code 0');
  });

  for (const workers of ['1', '2']) {
    it(`SIGTERM during a SIGQUIT drain still exits at once (APICAST_WORKERS=${workers})`, async () => {
      gateway = await startOpsGateway({
        config: { services: [service(1, ['stuck.example.com'], upstream.url)] },
        env: { APICAST_WORKERS: workers },
      });
      upstream.handler = () => {
        /* never answers: the drain would wait for ever */
      };
      const hanging = send(gateway.url, '/?user_key=k', { host: 'stuck.example.com' }).catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      gateway.process.signal('SIGQUIT');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(gateway.process.hasExited, false, 'the drain waits for the request in flight');
      const started = Date.now();
      gateway.process.signal('SIGTERM');
      await exitsWithin(gateway, 10_000, 'the gateway exits on SIGTERM');
      assert.ok(Date.now() - started < 4000, `SIGTERM cut the drain short (${Date.now() - started} ms)`);
      assert.ok((await hanging) instanceof Error, 'the hanging request was cut');
    });
  }
});
