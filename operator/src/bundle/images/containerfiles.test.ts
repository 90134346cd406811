// The container images cannot be built on these machines (no container engine). What can be checked:
// the Containerfiles' content (non-root numeric USER, healthcheck, OCI labels, Node 24 base, the gateway's
// policy load path), and that the images' entrypoints run under an arbitrary UID in group 0 with a
// read-only application, as OpenShift's restricted SCC runs them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { request } from 'undici';
import { startProcess } from '../../../../test/support/process.js';
import { freePorts } from '../../../../test/support/ports.js';
import { HEALTH_PORT, operatorDeployment } from '../../deploy/manifests.js';
import { REPOSITORY_ROOT, readOnlyAppCopy, asArbitraryUid, ARBITRARY_UID, type ReadOnlyApp } from './read-only-app.js';

interface Stage {
  from: string;
  instructions: { keyword: string; rest: string }[];
}

/** Splits a Containerfile into stages of instructions (continuation lines joined, comments dropped). */
function parseContainerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), rest: rest.join(' ') };
    if (instruction.keyword === 'FROM') stages.push({ from: instruction.rest, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

function finalStage(path: string): Stage {
  const stage = parseContainerfile(readFileSync(join(REPOSITORY_ROOT, path), 'utf8')).at(-1);
  assert.ok(stage, `${path} has no FROM`);
  return stage;
}

function last(stage: Stage, keyword: string): string | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.rest;
}

function runToEnd(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** An environment with nothing writable: HOME points into the read-only app. */
function restrictedEnv(app: ReadOnlyApp, extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: app.root, TMPDIR: '/tmp', NODE_ENV: 'production', ...extra };
}

describe('container images', () => {
  for (const [path, entry, command] of [
    ['gateway/Containerfile', 'bin/apicast.js', 'apicast'],
    ['operator/Containerfile', 'bin/threescale-operator.js', 'threescale-operator'],
  ] as const) {
    describe(path, () => {
      const stage = finalStage(path);

      it('runs on Node.js 24 LTS', () => {
        assert.match(stage.from, /nodejs-24|node:24/);
      });

      it('ends as a numeric non-root user (runAsNonRoot can verify it)', () => {
        const user = last(stage, 'USER');
        assert.ok(user !== undefined, 'no USER in the final stage');
        assert.match(user, /^[1-9]\d*$/);
      });

      it('has a healthcheck and the OCI labels', () => {
        assert.match(last(stage, 'HEALTHCHECK') ?? '', /CMD/);
        const labels = stage.instructions
          .filter((i) => i.keyword === 'LABEL')
          .map((i) => i.rest)
          .join(' ');
        for (const key of ['title', 'description', 'version', 'licenses', 'source']) {
          assert.match(labels, new RegExp(`org\\.opencontainers\\.image\\.${key}=`), key);
        }
      });

      it(`puts \`${command}\` (${entry}) on PATH and starts it`, () => {
        assert.equal(last(stage, 'ENTRYPOINT'), `["${command}"]`);
        const runs = stage.instructions
          .filter((i) => i.keyword === 'RUN')
          .map((i) => i.rest)
          .join(' ');
        assert.ok(runs.includes(`ln -s /opt/app-root/src/${entry} /usr/local/bin/${command}`), 'no PATH link');
        assert.match(readFileSync(join(REPOSITORY_ROOT, entry), 'utf8'), /^#!\/usr\/bin\/env node\n/);
      });

      it('makes the application read-only (no write bits left on the app)', () => {
        const runs = stage.instructions
          .filter((i) => i.keyword === 'RUN')
          .map((i) => i.rest)
          .join(' ');
        assert.match(runs, /chmod -R a-w/);
      });
    });
  }

  it('the operator image provides the command the operator Deployment runs', () => {
    const container = (
      operatorDeployment({ image: 'x' }, 'namespaced').spec as { template: { spec: { containers: { command: string[] }[] } } }
    ).template.spec.containers[0];
    assert.equal(last(finalStage('operator/Containerfile'), 'ENTRYPOINT'), `["${container.command[0]}"]`);
    assert.deepEqual(container.command.slice(1), ['run']);
    // The healthcheck asks the controller's health server, on the port the Deployment probes.
    assert.ok(
      (last(finalStage('operator/Containerfile'), 'HEALTHCHECK') ?? '').includes(`process.env.HEALTH_PORT||${HEALTH_PORT})+'/healthz'`),
    );
  });

  it('the gateway image puts /opt/app-root/src/policies on the default policy load path', () => {
    const env = finalStage('gateway/Containerfile')
      .instructions.filter((i) => i.keyword === 'ENV')
      .map((i) => i.rest)
      .join(' ');
    const path = /APICAST_POLICY_LOAD_PATH=(\S+)/.exec(env)?.[1];
    assert.ok(path, 'APICAST_POLICY_LOAD_PATH not set');
    assert.ok(path.split(':').includes('/opt/app-root/src/policies'));
  });

  describe(`entrypoints under an arbitrary UID (${ARBITRARY_UID}, group 0) with a read-only app`, () => {
    let app: ReadOnlyApp;
    let inputs: string;

    before(async () => {
      assert.equal(process.getuid?.(), 0, 'these tests switch UID with setpriv and must run as root');
      app = await readOnlyAppCopy(['gateway', 'operator']);
      inputs = await mkdtemp(join(tmpdir(), 'image-inputs-'));
      await chmod(inputs, 0o755);
    });

    after(async () => {
      // Unset when before() failed.
      await (app as ReadOnlyApp | undefined)?.remove();
      if (inputs) {
        // Folders made read-only by the tests: writable again so that rm can empty them.
        await chmod(join(inputs, 'policies'), 0o755).catch(() => undefined);
        await chmod(join(inputs, 'policies', 'stamp'), 0o755).catch(() => undefined);
        await chmod(join(inputs, 'policies', 'stamp', '1.0.0'), 0o755).catch(() => undefined);
        await rm(inputs, { recursive: true, force: true });
      }
    });

    it('node bin/apicast.js serves a configuration file, with a read-only custom policy, and proxies a request', async () => {
      const [http, management, metrics, echo] = await freePorts(4);
      // A custom policy as the APIcast CR's customPolicies mounts it: a read-only <root>/<name>/<version> folder.
      const policyDir = join(inputs, 'policies', 'stamp', '1.0.0');
      await mkdir(policyDir, { recursive: true });
      await writeFile(
        join(policyDir, 'apicast-policy.json'),
        JSON.stringify({
          $schema: 'http://apicast.io/policy-v1/schema#manifest#',
          name: 'stamp',
          summary: 'Adds a response header',
          version: '1.0.0',
          configuration: { type: 'object', properties: { value: { type: 'string' } }, required: ['value'] },
        }),
      );
      await writeFile(
        join(policyDir, 'index.js'),
        'export default function stamp(configuration) {\n' +
          '  return { header_filter(ctx) { ctx.response.headers.set("x-stamp", configuration.value); } };\n' +
          '}\n',
      );
      for (const dir of [join(inputs, 'policies'), join(inputs, 'policies', 'stamp'), policyDir]) await chmod(dir, 0o555);
      for (const file of ['apicast-policy.json', 'index.js']) await chmod(join(policyDir, file), 0o444);
      const config = join(inputs, 'config.json');
      await writeFile(
        config,
        JSON.stringify({
          services: [
            {
              id: 42,
              backend_version: '1',
              proxy: {
                hosts: ['uid.example.com'],
                api_backend: `http://127.0.0.1:${echo}`,
                proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
                policy_chain: [
                  { name: 'stamp', version: '1.0.0', configuration: { value: 'read-only-ok' } },
                  { name: 'apicast', version: 'builtin', configuration: {} },
                ],
              },
            },
          ],
        }),
      );
      await chmod(config, 0o444);
      const run = asArbitraryUid(process.execPath, ['bin/apicast.js']);
      const gateway = await startProcess({
        name: 'apicast (arbitrary uid)',
        ...run,
        cwd: app.root,
        env: restrictedEnv(app, {
          THREESCALE_CONFIG_FILE: config,
          APICAST_HTTP_PORT: String(http),
          APICAST_MANAGEMENT_PORT: String(management),
          APICAST_METRICS_PORT: String(metrics),
          APICAST_ECHO_PORT: String(echo),
          APICAST_POLICY_LOAD_PATH: join(inputs, 'policies'),
          APICAST_WORKERS: '1',
        }),
        ready: async () => (await fetch(`http://127.0.0.1:${management}/status/ready`)).status === 200,
      });
      try {
        // fetch() drops a Host header (forbidden name); undici.request sends it.
        const response = await request(`http://127.0.0.1:${http}/anything?user_key=k`, { headers: { host: 'uid.example.com' } });
        const body = await response.body.text();
        assert.equal(response.statusCode, 200, body);
        assert.match(body, /^GET \/anything\?user_key=k HTTP\/1\.1/, 'the echo upstream did not receive the request');
        assert.equal(response.headers['x-stamp'], 'read-only-ok', 'the read-only custom policy did not run');
        const live = await fetch(`http://127.0.0.1:${management}/status/live`);
        assert.equal(live.status, 200);
      } finally {
        await gateway.stop();
      }
      assert.doesNotMatch(gateway.logs(), /EACCES|EROFS|permission denied/i);
    });

    it('node bin/threescale-operator.js render prints the objects of a CR', async () => {
      const cr = join(inputs, 'apimanager.yaml');
      await writeFile(
        cr,
        [
          'apiVersion: apps.3scale.net/v1alpha1',
          'kind: APIManager',
          'metadata:',
          '  name: uid-test',
          'spec:',
          '  wildcardDomain: uid.example.com',
          '',
        ].join('\n'),
      );
      await chmod(cr, 0o444);
      const run = asArbitraryUid(process.execPath, ['bin/threescale-operator.js', 'render', '--file', cr]);
      const result = await runToEnd(run.command, run.args, { cwd: app.root, env: restrictedEnv(app, {}) });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /kind: DeploymentConfig/);
      assert.match(result.stdout, /name: apicast-production/);
      assert.doesNotMatch(result.stderr, /EACCES|EROFS|permission denied/i);
    });
  });
});
