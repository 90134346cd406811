// The generated OpenShift templates: committed and fresh, valid as Templates, and — instantiated with
// `oc process` semantics — yielding objects that the Kubernetes and OpenShift schemas accept, wired to each
// other (every Secret/ConfigMap key a container reads exists), with the variant differences of
// operator-objects §7.3.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Template, TemplateObject } from '../openshift/index.js';
import { validateTemplate } from '../openshift/index.js';
import { generateTemplates, TEMPLATE_FILES } from './generate.js';
import { processTemplate, TemplateProcessError } from './process/process.js';
import { validateObject } from './testing/validate-object.js';

const REPOSITORY_ROOT = new URL('../../../../', import.meta.url).pathname;
const generated = generateTemplates();
const templateOf = (file: string): Template => parse(generated.get(file)!) as Template;

/** What a user must pass (required parameters without default) to instantiate each template. */
const REQUIRED_VALUES: Readonly<Record<string, Record<string, string>>> = {
  'amp.yml': { WILDCARD_DOMAIN: 'apps.example.com' },
  'amp-eval.yml': { WILDCARD_DOMAIN: 'apps.example.com' },
  'amp-s3.yml': { WILDCARD_DOMAIN: 'apps.example.com' },
  'amp-eval-s3.yml': { WILDCARD_DOMAIN: 'apps.example.com' },
  'amp-postgresql.yml': { WILDCARD_DOMAIN: 'apps.example.com' },
  'amp-ha.yml': {
    WILDCARD_DOMAIN: 'apps.example.com',
    BACKEND_REDIS_STORAGE_ENDPOINT: 'redis://backend-redis.db:6379/0',
    BACKEND_REDIS_QUEUES_ENDPOINT: 'redis://backend-redis.db:6379/1',
    SYSTEM_DATABASE_URL: 'mysql2://root:pw@mysql.db/system',
    SYSTEM_REDIS_URL: 'redis://system-redis.db:6379/1',
  },
  'apicast.yml': {},
  'build.yml': {},
};

/** Declared but unreferenced on purpose (kept from the original for compatibility of `oc process -p`). */
const UNUSED_ALLOWED: Readonly<Record<string, string[]>> = { 'apicast.yml': ['AMP_RELEASE'] };

const REFERENCE = /\$\{\{?([A-Za-z0-9_]+)\}\}?/g;

function references(node: unknown, into = new Set<string>()): Set<string> {
  if (typeof node === 'string') for (const m of node.matchAll(REFERENCE)) into.add(m[1]);
  else if (Array.isArray(node)) node.forEach((n) => references(n, into));
  else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) { references(k, into); references(v, into); }
  return into;
}

type Json = Record<string, unknown>;
const asJson = (o: unknown): Json => o as Json;
const find = (objects: TemplateObject[], kind: string, name: string): Json | undefined =>
  objects.find((o) => o.kind === kind && o.metadata?.name === name);
const podSpecOf = (dc: Json): Json => asJson(asJson(asJson(dc.spec).template).spec);
const containersOf = (dc: Json): Json[] => [...((podSpecOf(dc).initContainers as Json[] | undefined) ?? []), ...(podSpecOf(dc).containers as Json[])];
const workloads = (objects: TemplateObject[]): Json[] => objects.filter((o) => o.kind === 'DeploymentConfig').map(asJson);

describe('OpenShift templates (templates/*.yml)', () => {
  it('generates exactly the files of the contract', () => {
    assert.deepEqual([...generated.keys()].sort(), [...TEMPLATE_FILES].sort());
  });

  it('the committed templates/ files are up to date (run `make templates` after changing a builder)', () => {
    const stale = [...generated].filter(([file, text]) => {
      const path = join(REPOSITORY_ROOT, 'templates', file);
      return !existsSync(path) || readFileSync(path, 'utf8') !== text;
    }).map(([file]) => file);
    assert.deepEqual(stale, [], `stale or missing in templates/: ${stale.join(', ')}`);
  });

  it('generation is deterministic (byte-identical on a second run)', () => {
    const again = generateTemplates();
    for (const [file, text] of generated) assert.equal(again.get(file), text, file);
  });

  it('writes the two non-string substitutions unquoted', () => {
    const amp = generated.get('amp.yml')!;
    assert.match(amp, /insecure: \$\{\{IMAGESTREAM_TAG_IMPORT_INSECURE\}\}\n/);
    assert.match(amp, /storageClassName: \$\{\{RWX_STORAGE_CLASS\}\}\n/);
    assert.doesNotMatch(amp, /["']\$\{\{/);
  });

  it('amp.yml declares the 2.9 parameters in the original file order', () => {
    assert.deepEqual(templateOf('amp.yml').parameters!.map((p) => p.name), [
      'AMP_RELEASE', 'APP_LABEL', 'TENANT_NAME', 'RWX_STORAGE_CLASS', 'AMP_BACKEND_IMAGE', 'AMP_ZYNC_IMAGE', 'AMP_APICAST_IMAGE',
      'AMP_SYSTEM_IMAGE', 'ZYNC_DATABASE_IMAGE', 'MEMCACHED_IMAGE', 'IMAGESTREAM_TAG_IMPORT_INSECURE', 'SYSTEM_DATABASE_IMAGE',
      'REDIS_IMAGE', 'SYSTEM_DATABASE_USER', 'SYSTEM_DATABASE_PASSWORD', 'SYSTEM_DATABASE', 'SYSTEM_DATABASE_ROOT_PASSWORD',
      'WILDCARD_DOMAIN', 'SYSTEM_BACKEND_USERNAME', 'SYSTEM_BACKEND_PASSWORD', 'SYSTEM_BACKEND_SHARED_SECRET',
      'SYSTEM_APP_SECRET_KEY_BASE', 'ADMIN_PASSWORD', 'ADMIN_USERNAME', 'ADMIN_EMAIL', 'ADMIN_ACCESS_TOKEN', 'MASTER_NAME',
      'MASTER_USER', 'MASTER_PASSWORD', 'MASTER_ACCESS_TOKEN', 'RECAPTCHA_PUBLIC_KEY', 'RECAPTCHA_PRIVATE_KEY', 'SYSTEM_REDIS_URL',
      'SYSTEM_MESSAGE_BUS_REDIS_URL', 'SYSTEM_REDIS_NAMESPACE', 'SYSTEM_MESSAGE_BUS_REDIS_NAMESPACE', 'ZYNC_DATABASE_PASSWORD',
      'ZYNC_SECRET_KEY_BASE', 'ZYNC_AUTHENTICATION_TOKEN', 'APICAST_ACCESS_TOKEN', 'APICAST_MANAGEMENT_API',
      'APICAST_OPENSSL_VERIFY', 'APICAST_RESPONSE_CODES', 'APICAST_REGISTRY_URL',
    ]);
    const byName = new Map(templateOf('amp.yml').parameters!.map((p) => [p.name, p]));
    assert.deepEqual(byName.get('SYSTEM_APP_SECRET_KEY_BASE'), { name: 'SYSTEM_APP_SECRET_KEY_BASE', description: 'System application secret key base', required: true, generate: 'expression', from: '[a-f0-9]{128}' });
    assert.equal(byName.get('ADMIN_ACCESS_TOKEN')!.required, undefined, 'ADMIN_ACCESS_TOKEN is optional in the original');
    assert.equal(byName.get('AMP_APICAST_IMAGE')!.value?.startsWith('quay.io/threescale-ts/apicast:'), true);
    assert.equal(byName.get('RWX_STORAGE_CLASS')!.value, 'null');
  });

  for (const file of TEMPLATE_FILES) {
    describe(file, () => {
      const template = templateOf(file);

      it('is a valid Template (template.openshift.io/v1 schema)', () => {
        assert.deepEqual(validateTemplate(template), []);
      });

      it('declares every parameter it references, once, and references every parameter it declares', () => {
        const declared = template.parameters!.map((p) => p.name);
        assert.equal(new Set(declared).size, declared.length, 'duplicate parameter');
        const used = references([template.objects, template.message ?? '']);
        assert.deepEqual([...used].filter((n) => !declared.includes(n)), [], 'referenced but not declared');
        assert.deepEqual(declared.filter((n) => !used.has(n) && !(UNUSED_ALLOWED[file] ?? []).includes(n)), [], 'declared but unused');
      });

      it('instantiates into objects that the Kubernetes and OpenShift schemas accept, with every placeholder resolved', () => {
        const { objects } = processTemplate(template, REQUIRED_VALUES[file]);
        assert.ok(objects.length > 0);
        assert.deepEqual(objects.flatMap((o) => validateObject(o)), []);
        assert.deepEqual([...references(objects)], [], 'placeholders left after processing');
        const names = objects.map((o) => `${o.kind}/${o.metadata?.name}`);
        assert.equal(new Set(names).size, names.length, 'two objects with the same kind and name');
      });

      it('refuses to instantiate without its required parameters, naming them', () => {
        const required = Object.keys(REQUIRED_VALUES[file]);
        if (required.length === 0) {
          // Every required parameter has a default: an empty override is still refused.
          const first = template.parameters!.find((p) => p.required === true)!;
          assert.throws(() => processTemplate(template, { [first.name]: '' }), new RegExp(`${first.name}: is required`));
          return;
        }
        assert.throws(() => processTemplate(template, {}), (e: unknown) =>
          e instanceof TemplateProcessError && required.every((name) => e.problems.some((p) => p.parameter === name)));
      });

      if (file.startsWith('amp')) {
        it('every Secret and ConfigMap key a container reads exists in the template (or is optional)', () => {
          const { objects } = processTemplate(template, REQUIRED_VALUES[file]);
          const dataOf = (kind: string, name: string): Json | undefined => {
            const o = find(objects, kind, name);
            return o === undefined ? undefined : asJson(o.stringData ?? o.data ?? {});
          };
          const missing: string[] = [];
          for (const dc of workloads(objects)) {
            const strategy = asJson(asJson(dc.spec).strategy);
            const hooks = ['pre', 'post'].map((h) => asJson(asJson(strategy.rollingParams ?? {})[h] ?? {}).execNewPod as Json | undefined).filter((h) => h !== undefined);
            for (const holder of [...containersOf(dc), ...hooks]) {
              for (const env of (holder.env as Json[] | undefined) ?? []) {
                const from = asJson(env.valueFrom ?? {});
                for (const [refKind, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
                  const ref = from[refKind] as { name: string; key: string; optional?: boolean } | undefined;
                  if (ref === undefined || ref.optional === true) continue;
                  if (dataOf(kind, ref.name)?.[ref.key] === undefined) missing.push(`${String(asJson(dc.metadata).name)} ${String(env.name)} → ${kind} ${ref.name}/${ref.key}`);
                }
              }
            }
          }
          assert.deepEqual(missing, []);
        });

        it('creates apicast-configuration-url-secret for standalone gateways, from the generated admin token', () => {
          const { objects, values } = processTemplate(template, REQUIRED_VALUES[file]);
          const secret = find(objects, 'Secret', 'apicast-configuration-url-secret')!;
          assert.equal(secret.type, 'kubernetes.io/basic-auth');
          assert.equal(asJson(secret.stringData).password, `https://${values.get('ADMIN_ACCESS_TOKEN')}@3scale-admin.apps.example.com`);
          assert.match(values.get('ADMIN_ACCESS_TOKEN')!, /^[a-z0-9]{16}$/);
          assert.equal(asJson(find(objects, 'Secret', 'system-seed')!.stringData).ADMIN_ACCESS_TOKEN, values.get('ADMIN_ACCESS_TOKEN'));
        });

        it('types the ${{…}} substitutions: boolean image import policy, null storage class by default', () => {
          const { objects } = processTemplate(template, REQUIRED_VALUES[file]);
          for (const stream of objects.filter((o) => o.kind === 'ImageStream')) {
            for (const tag of asJson(stream.spec).tags as Json[]) assert.equal(asJson(tag.importPolicy).insecure, false);
          }
          const insecure = processTemplate(template, { ...REQUIRED_VALUES[file], IMAGESTREAM_TAG_IMPORT_INSECURE: 'true' }).objects;
          assert.equal(asJson((asJson(find(insecure, 'ImageStream', 'amp-system')!.spec).tags as Json[])[0].importPolicy).insecure, true);
          const storage = find(objects, 'PersistentVolumeClaim', 'system-storage');
          if (file.includes('s3')) assert.equal(storage, undefined);
          else assert.equal(asJson(storage!.spec).storageClassName, null);
        });

        it('two instantiations generate different secrets', () => {
          const a = processTemplate(template, REQUIRED_VALUES[file]).values;
          const b = processTemplate(template, REQUIRED_VALUES[file]).values;
          for (const name of ['ADMIN_PASSWORD', 'MASTER_PASSWORD', 'APICAST_ACCESS_TOKEN', 'ZYNC_SECRET_KEY_BASE', 'SYSTEM_APP_SECRET_KEY_BASE']) {
            assert.notEqual(a.get(name), b.get(name), name);
          }
          assert.match(a.get('SYSTEM_APP_SECRET_KEY_BASE')!, /^[a-f0-9]{128}$/);
          assert.match(a.get('ZYNC_AUTHENTICATION_TOKEN')!, /^[a-zA-Z0-9]{16}$/);
        });
      }
    });
  }

  it('each file carries the metadata of operator-objects §7.1', () => {
    const expected: Record<string, [name: string, description: RegExp]> = {
      'amp.yml': ['3scale-api-management', /^3scale API Management main system$/],
      'amp-eval.yml': ['3scale-api-management-eval', /\(Evaluation\)$/],
      'amp-s3.yml': ['3scale-api-management-s3', /with shared file storage in AWS S3\.$/],
      'amp-eval-s3.yml': ['3scale-api-management-eval-s3', /\(Evaluation\) with shared file storage in AWS S3\.$/],
      'amp-ha.yml': ['3scale-api-management-ha', /\(High Availability\)$/],
      'amp-postgresql.yml': ['3scale-api-management-postgresql', /with PostgreSQL as System's database$/],
      'apicast.yml': ['3scale-gateway', /APIcast/],
      'build.yml': ['amp-system-oracle', /Oracle/],
    };
    for (const [file, [name, description]] of Object.entries(expected)) {
      const template = templateOf(file);
      assert.equal(template.metadata?.name, name, file);
      assert.match(template.metadata.annotations?.description ?? '', description, file);
      assert.equal(template.metadata.annotations?.iconClass, 'icon-3scale', file);
      if (file.startsWith('amp')) {
        assert.equal(template.message, 'Login on https://${TENANT_NAME}-admin.${WILDCARD_DOMAIN} as ${ADMIN_USERNAME}/${ADMIN_PASSWORD}');
        assert.equal(template.metadata.annotations['openshift.io/display-name'], '3scale API Management');
        assert.equal(template.metadata.annotations.tags, 'integration, api management, 3scale');
      }
    }
  });

  it('amp.yml lists its objects in the inventory order of operator-objects §2', () => {
    const inventory = `
      ImageStream amp-backend, ImageStream amp-zync, ImageStream amp-apicast, ImageStream amp-system,
      ImageStream zync-database-postgresql, ImageStream system-memcached, ServiceAccount amp, ImageStream system-mysql,
      DeploymentConfig backend-redis, Service backend-redis, ConfigMap redis-config, PersistentVolumeClaim backend-redis-storage,
      ImageStream backend-redis, DeploymentConfig system-redis, PersistentVolumeClaim system-redis-storage, Service system-redis,
      ImageStream system-redis, DeploymentConfig backend-cron, DeploymentConfig backend-listener, Service backend-listener,
      Route backend, DeploymentConfig backend-worker, ConfigMap backend-environment, Secret backend-internal-api,
      Secret backend-redis, Secret backend-listener, DeploymentConfig system-mysql, Service system-mysql,
      ConfigMap mysql-main-conf, ConfigMap mysql-extra-conf, PersistentVolumeClaim mysql-storage, Secret system-database,
      DeploymentConfig system-memcache, PersistentVolumeClaim system-storage, Service system-provider, Service system-master,
      Service system-developer, Service system-sphinx, Service system-memcache, ConfigMap system, Secret system-smtp,
      ConfigMap system-environment, DeploymentConfig system-app, DeploymentConfig system-sidekiq, DeploymentConfig system-sphinx,
      Secret system-events-hook, Secret system-redis, Secret system-master-apicast, Secret system-seed, Secret system-recaptcha,
      Secret system-app, Secret system-memcache, Role zync-que-role, ServiceAccount zync-que-sa, RoleBinding zync-que-rolebinding,
      DeploymentConfig zync, DeploymentConfig zync-que, DeploymentConfig zync-database, Service zync, Service zync-database,
      Secret zync, DeploymentConfig apicast-staging, DeploymentConfig apicast-production, Service apicast-staging,
      Service apicast-production, ConfigMap apicast-environment, Secret apicast-configuration-url-secret`;
    const expected = inventory.split(',').map((entry) => entry.trim().replace(/\s+/, ' '));
    assert.deepEqual(templateOf('amp.yml').objects.map((o) => `${o.kind} ${o.metadata?.name}`), expected);
  });

  describe('variant differences (operator-objects §7.3)', () => {
    const instantiate = (file: string, values: Record<string, string> = {}) => processTemplate(templateOf(file), { ...REQUIRED_VALUES[file], ...values });

    it('amp.yml holds the 67 objects of the 2.9 inventory (ours: + apicast-configuration-url-secret)', () => {
      const { objects } = instantiate('amp.yml');
      const count = (kind: string) => objects.filter((o) => o.kind === kind).length;
      assert.equal(objects.length, 67);
      assert.deepEqual([count('DeploymentConfig'), count('Service'), count('Route'), count('Secret'), count('ConfigMap'), count('PersistentVolumeClaim'), count('ImageStream')], [15, 13, 1, 14, 7, 4, 9]);
      assert.equal(count('PodDisruptionBudget'), 0);
    });

    it('eval templates strip every container resource; the others keep them', () => {
      for (const file of ['amp-eval.yml', 'amp-eval-s3.yml']) {
        const withResources = workloads(instantiate(file).objects).flatMap(containersOf).filter((c) => Object.keys(asJson(c.resources ?? {})).length > 0);
        assert.deepEqual(withResources.map((c) => c.name), [], file);
      }
      const backend = find(instantiate('amp.yml').objects, 'DeploymentConfig', 'backend-listener')!;
      assert.deepEqual(asJson(containersOf(backend)[0].resources).limits, { cpu: '1', memory: '700Mi' });
    });

    it('S3 templates: aws-auth from the AWS_* parameters, no system-storage, no RWX_STORAGE_CLASS', () => {
      const template = templateOf('amp-s3.yml');
      assert.equal(template.parameters!.some((p) => p.name === 'RWX_STORAGE_CLASS'), false);
      const { objects } = instantiate('amp-s3.yml', { AWS_BUCKET: 'assets', AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK' });
      assert.deepEqual(asJson(find(objects, 'Secret', 'aws-auth')!.stringData), {
        AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK', AWS_BUCKET: 'assets', AWS_REGION: 'eu-west-1', AWS_PROTOCOL: '', AWS_HOSTNAME: '', AWS_PATH_STYLE: '',
      });
      assert.equal(find(objects, 'PersistentVolumeClaim', 'system-storage'), undefined);
      assert.equal(asJson(find(objects, 'ConfigMap', 'system-environment')!.data).FILE_UPLOAD_STORAGE, 's3');
      const app = find(objects, 'DeploymentConfig', 'system-app')!;
      assert.equal(JSON.stringify(app).includes('system-storage'), false, 'system-app still mounts system-storage');
    });

    it('amp-ha: external databases, two replicas of the scalable workloads, nine PDBs', () => {
      const template = templateOf('amp-ha.yml');
      const names = template.parameters!.map((p) => p.name);
      for (const removed of ['REDIS_IMAGE', 'SYSTEM_DATABASE_IMAGE', 'SYSTEM_DATABASE_USER', 'SYSTEM_DATABASE_PASSWORD', 'SYSTEM_DATABASE', 'SYSTEM_DATABASE_ROOT_PASSWORD']) {
        assert.equal(names.includes(removed), false, removed);
      }
      assert.deepEqual(names.slice(-11), [
        'BACKEND_REDIS_STORAGE_ENDPOINT', 'BACKEND_REDIS_QUEUES_ENDPOINT', 'SYSTEM_DATABASE_URL', 'SYSTEM_MESSAGE_BUS_REDIS_SENTINEL_HOSTS',
        'SYSTEM_MESSAGE_BUS_REDIS_SENTINEL_ROLE', 'SYSTEM_REDIS_SENTINEL_HOSTS', 'SYSTEM_REDIS_SENTINEL_ROLE', 'BACKEND_REDIS_QUEUE_SENTINEL_HOSTS',
        'BACKEND_REDIS_QUEUE_SENTINEL_ROLE', 'BACKEND_REDIS_STORAGE_SENTINEL_HOSTS', 'BACKEND_REDIS_STORAGE_SENTINEL_ROLE',
      ]);
      assert.equal(template.parameters!.find((p) => p.name === 'SYSTEM_REDIS_URL')!.value, undefined);
      const { objects } = instantiate('amp-ha.yml', { BACKEND_REDIS_QUEUE_SENTINEL_HOSTS: 'redis://s1:26379,redis://s2:26379' });
      for (const gone of ['backend-redis', 'system-redis', 'system-mysql']) assert.equal(find(objects, 'DeploymentConfig', gone), undefined, gone);
      for (const gone of ['backend-redis-storage', 'system-redis-storage', 'mysql-storage']) assert.equal(find(objects, 'PersistentVolumeClaim', gone), undefined, gone);
      assert.deepEqual(asJson(find(objects, 'Secret', 'system-database')!.stringData), { URL: 'mysql2://root:pw@mysql.db/system' });
      const backendRedis = asJson(find(objects, 'Secret', 'backend-redis')!.stringData);
      assert.equal(backendRedis.REDIS_STORAGE_URL, 'redis://backend-redis.db:6379/0');
      assert.equal(backendRedis.REDIS_QUEUES_SENTINEL_HOSTS, 'redis://s1:26379,redis://s2:26379');
      const replicas = Object.fromEntries(
        workloads(objects).map((dc): [string, unknown] => [asJson(dc.metadata).name as string, asJson(dc.spec).replicas]),
      );
      for (const [name, count] of Object.entries(replicas)) {
        assert.equal(count, ['system-memcache', 'system-sphinx', 'zync-database'].includes(name) ? 1 : 2, name);
      }
      assert.deepEqual(objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata?.name).sort(), [
        'apicast-production', 'apicast-staging', 'backend-cron', 'backend-listener', 'backend-worker', 'system-app', 'system-sidekiq', 'zync', 'zync-que',
      ]);
    });

    it('amp-postgresql: the PostgreSQL system database instead of MySQL', () => {
      const template = templateOf('amp-postgresql.yml');
      const byName = new Map(template.parameters!.map((p) => [p.name, p]));
      assert.equal(byName.has('SYSTEM_DATABASE_ROOT_PASSWORD'), false);
      assert.equal(byName.get('SYSTEM_DATABASE_USER')!.value, 'system');
      assert.equal(byName.get('SYSTEM_DATABASE_IMAGE')!.value, 'registry.redhat.io/rhscl/postgresql-10-rhel7');
      const { objects, values } = instantiate('amp-postgresql.yml');
      assert.ok(find(objects, 'DeploymentConfig', 'system-postgresql'));
      assert.equal(find(objects, 'DeploymentConfig', 'system-mysql'), undefined);
      assert.equal(asJson(find(objects, 'Secret', 'system-database')!.stringData).URL, `postgresql://system:${values.get('SYSTEM_DATABASE_PASSWORD')}@system-postgresql/system`);
    });

    it('apicast.yml: a standalone gateway that reads the Secret the amp templates create', () => {
      const { objects } = instantiate('apicast.yml', { APICAST_NAME: 'edge', DEPLOYMENT_ENVIRONMENT: 'staging' });
      const dc = find(objects, 'DeploymentConfig', 'edge')!;
      assert.deepEqual(asJson(dc.spec).selector, { deploymentconfig: 'edge' });
      assert.deepEqual(asJson(dc.spec).triggers, [{ type: 'ConfigChange' }]);
      const container = containersOf(dc)[0];
      const env = Object.fromEntries((container.env as Json[]).map((e): [string, unknown] => [e.name as string, e.value ?? e.valueFrom]));
      assert.deepEqual(env.THREESCALE_PORTAL_ENDPOINT, { secretKeyRef: { name: 'apicast-configuration-url-secret', key: 'password' } });
      assert.equal(env.THREESCALE_DEPLOYMENT_ENV, 'staging');
      assert.equal(env.APICAST_CONFIGURATION_CACHE, '');
      assert.match(String(container.image), /^quay\.io\/threescale-ts\/apicast:/);
      assert.deepEqual(asJson(find(objects, 'Service', 'edge')!.spec).selector, { deploymentconfig: 'edge' });
      // The same Secret name and key exist in amp.yml's output.
      const amp = instantiate('amp.yml').objects;
      assert.ok(asJson(find(amp, 'Secret', 'apicast-configuration-url-secret')!.stringData).password);
    });

    it('build.yml: a binary Docker build of the system image with the Oracle client files', () => {
      const { objects, message } = instantiate('build.yml', { AMP_RELEASE: '2.9' });
      const build = find(objects, 'BuildConfig', '3scale-amp-system-oracle')!;
      const spec = asJson(build.spec);
      assert.equal(asJson(spec.source).type, 'Binary');
      assert.match(String(asJson(spec.source).dockerfile), /COPY instantclient-basic\*.*instantclient-sdk.*instantclient-odbc/);
      assert.deepEqual(asJson(asJson(spec.strategy).dockerStrategy).from, { kind: 'ImageStreamTag', name: 'amp-system-base:2.9' });
      assert.deepEqual(asJson(spec.output).to, { kind: 'ImageStreamTag', name: 'amp-system-oracle:2.9' });
      const base = find(objects, 'ImageStream', 'amp-system-base')!;
      assert.equal(asJson((asJson(base.spec).tags as Json[])[0].from).name, 'registry.redhat.io/3scale-amp2/system-rhel7:3scale2.9');
      assert.ok(find(objects, 'ImageStream', 'amp-system-oracle'));
      assert.match(message!, /oc start-build 3scale-amp-system-oracle --from-dir=/);
    });
  });
});
