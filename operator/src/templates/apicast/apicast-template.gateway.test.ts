// apicast.yml deploys OUR gateway: the container env that `oc process` yields with the template defaults
// (empty RESOLVER, LOG_LEVEL, SERVICES_LIST, CONFIGURATION_CACHE, REDIS_URL …) must boot it and let it serve.
// Runs the real gateway (bin/apicast.js, built by tsconfig.gateway.json) with exactly that env.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { request } from 'undici';
import type { Template } from '../../openshift/index.js';
import { processTemplate } from '../process/process.js';
import { startProcess } from '../../../../test/support/process.js';
import { freePorts } from '../../../../test/support/ports.js';

const REPOSITORY_ROOT = new URL('../../../../../', import.meta.url).pathname;

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }

describe('apicast.yml runs this project\'s gateway', () => {
  let inputs: string;
  before(async () => { inputs = await mkdtemp(join(tmpdir(), 'apicast-template-')); });
  after(async () => { await rm(inputs, { recursive: true, force: true }); });

  it('the env of the processed template (defaults + a configuration file) boots the gateway, which proxies', async () => {
    assert.ok(existsSync(join(REPOSITORY_ROOT, 'dist/gateway/src/cli.js')), 'build the gateway first (npx tsc -p tsconfig.gateway.json)');
    const [http, management, metrics, echo] = await freePorts(4);
    const config = join(inputs, 'config.json');
    await writeFile(config, JSON.stringify({
      services: [{ id: 7, backend_version: '1', proxy: { hosts: ['gw.example.com'], api_backend: `http://127.0.0.1:${echo}`, proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }] } }],
    }));
    const template = parse(readFileSync(join(REPOSITORY_ROOT, 'templates/apicast.yml'), 'utf8')) as Template;
    const { objects } = processTemplate(template, { CONFIGURATION_FILE_PATH: config });
    const dc = objects.find((o) => o.kind === 'DeploymentConfig')! as unknown as { spec: { template: { spec: { containers: { env: EnvVar[] }[] } } } };
    // What the kubelet would put in the container: literals as given, the Secret reference resolved with the
    // value an amp*.yml template stores in apicast-configuration-url-secret (unused: the file takes precedence).
    const secrets: Record<string, Record<string, string>> = { 'apicast-configuration-url-secret': { password: 'https://token@3scale-admin.example.com' } };
    const containerEnv: Record<string, string> = {};
    for (const e of dc.spec.template.spec.containers[0].env) {
      const ref = e.valueFrom?.secretKeyRef;
      const value = ref ? secrets[ref.name][ref.key] : e.value;
      assert.ok(value !== undefined, `env ${e.name} cannot be resolved`);
      containerEnv[e.name] = value;
    }
    assert.equal(containerEnv.APICAST_CONFIGURATION_CACHE, '');
    const gateway = await startProcess({
      name: 'apicast from apicast.yml env',
      command: process.execPath,
      args: [join(REPOSITORY_ROOT, 'bin/apicast.js')],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...containerEnv,
        APICAST_HTTP_PORT: String(http), APICAST_MANAGEMENT_PORT: String(management),
        APICAST_METRICS_PORT: String(metrics), APICAST_ECHO_PORT: String(echo), APICAST_WORKERS: '1',
      },
      ready: async () => (await fetch(`http://127.0.0.1:${management}/status/ready`)).status === 200,
    });
    try {
      const response = await request(`http://127.0.0.1:${http}/hello?user_key=k`, { headers: { host: 'gw.example.com' } });
      const body = await response.body.text();
      assert.equal(response.statusCode, 200, body);
      assert.match(body, /^GET \/hello\?user_key=k HTTP\/1\.1/);
    } finally {
      await gateway.stop();
    }
  });
});
