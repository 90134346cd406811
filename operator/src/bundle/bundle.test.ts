// The OLM bundle: committed and fresh, a CSV with the fields OLM and the console need, owning exactly the CRDs
// of crds/, examples that validate against those CRDs, the operator Deployment and least-privilege RBAC.
import { CAPABILITY_KINDS, apiVersionOf } from '../capabilities/api/kinds.js';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { generateBundle } from './generate.js';
import { CHANNEL, PACKAGE_NAME } from './csv.js';
import { OPERATOR_PACKAGE_VERSION } from '../model/version.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const REPOSITORY_ROOT = new URL('../../../../', import.meta.url).pathname;
const files = generateBundle();
const CSV_FILE = `bundle/manifests/${PACKAGE_NAME}.clusterserviceversion.yaml`;

type Json = Record<string, unknown>;
const j = (o: unknown): Json => o as Json;
const csv = j(parse(files.get(CSV_FILE)!));
const spec = j(csv.spec);
const install = j(j(spec.install).spec);

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
const committedCrds = readdirSync(join(REPOSITORY_ROOT, 'crds'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ file: f, crd: j(parse(readFileSync(join(REPOSITORY_ROOT, 'crds', f), 'utf8'))) }));

function crdSchema(kind: string): Json {
  const found = committedCrds.find(({ crd }) => j(j(crd.spec).names).kind === kind);
  assert.ok(found, `no CRD for ${kind} in crds/`);
  return j(j((j(found.crd.spec).versions as Json[])[0].schema).openAPIV3Schema);
}

function schemaHasPath(schema: Json, path: string): boolean {
  let node: Json | undefined = schema;
  for (const part of path.split('.')) node = node === undefined ? undefined : (j(node.properties ?? {})[part] as Json | undefined);
  return node !== undefined;
}

function compileCrdSchema(schema: Json) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addVocabulary([
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-int-or-string',
    'x-kubernetes-validations',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-embedded-resource',
  ]);
  return ajv.compile(schema);
}

describe('OLM bundle (manifests/bundle)', () => {
  it('the committed manifests/bundle files are up to date (run `make bundle`)', () => {
    const stale = [...files]
      .filter(([file, text]) => {
        const path = join(REPOSITORY_ROOT, 'manifests', file);
        return !existsSync(path) || readFileSync(path, 'utf8') !== text;
      })
      .map(([file]) => file);
    assert.deepEqual(stale, [], `stale or missing: ${stale.join(', ')}`);
  });

  it('has the registry+v1 layout: CSV and every CRD in manifests/, annotations in metadata/', () => {
    assert.deepEqual(
      [...files.keys()].sort(),
      [
        'bundle/bundle.Dockerfile',
        `bundle/manifests/${PACKAGE_NAME}.clusterserviceversion.yaml`,
        'bundle/manifests/apps.3scale.net_apicasts.yaml',
        'bundle/manifests/apps.3scale.net_apimanagers.yaml',
        ...Object.values(CAPABILITY_KINDS).map((k) => `bundle/manifests/capabilities.3scale.net_${k.plural}.yaml`),
        'bundle/metadata/annotations.yaml',
      ].sort(),
    );
    const annotations = j(j(parse(files.get('bundle/metadata/annotations.yaml')!)).annotations);
    assert.equal(annotations['operators.operatorframework.io.bundle.mediatype.v1'], 'registry+v1');
    assert.equal(annotations['operators.operatorframework.io.bundle.manifests.v1'], 'manifests/');
    assert.equal(annotations['operators.operatorframework.io.bundle.metadata.v1'], 'metadata/');
    assert.equal(annotations['operators.operatorframework.io.bundle.package.v1'], PACKAGE_NAME);
    assert.equal(annotations['operators.operatorframework.io.bundle.channels.v1'], CHANNEL);
    const dockerfile = files.get('bundle/bundle.Dockerfile')!.split('\n');
    for (const [key, value] of Object.entries(annotations))
      assert.ok(dockerfile.includes(`LABEL ${key}=${String(value)}`), `bundle.Dockerfile lacks the label ${key}`);
  });

  it('ships the CRDs of crds/ byte for byte', () => {
    assert.equal(committedCrds.length, 2 + Object.keys(CAPABILITY_KINDS).length);
    for (const { file } of committedCrds)
      assert.equal(files.get(`bundle/manifests/${file}`), readFileSync(join(REPOSITORY_ROOT, 'crds', file), 'utf8'), file);
  });

  it('CSV: identity, version, display fields, icon, maturity, minKubeVersion', () => {
    assert.equal(csv.apiVersion, 'operators.coreos.com/v1alpha1');
    assert.equal(csv.kind, 'ClusterServiceVersion');
    assert.equal(j(csv.metadata).name, `${PACKAGE_NAME}.v${OPERATOR_PACKAGE_VERSION}`);
    assert.equal(spec.version, OPERATOR_PACKAGE_VERSION);
    for (const field of ['displayName', 'description', 'maturity']) assert.ok(typeof spec[field] === 'string' && spec[field] !== '', field);
    assert.ok((spec.keywords as string[]).includes('3scale'));
    assert.ok(j(spec.provider).name);
    assert.ok((spec.maintainers as Json[]).every((m) => m.name && m.email));
    assert.ok((spec.links as Json[]).every((l) => /^https:\/\//.test(String(l.url))));
    const icon = (spec.icon as Json[])[0];
    assert.equal(icon.mediatype, 'image/svg+xml');
    assert.match(
      Buffer.from(String(icon.base64data), 'base64').toString('utf8'),
      /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg".*<\/svg>$/s,
    );
    assert.match(String(spec.minKubeVersion), /^\d+\.\d+\.\d+$/);
    const annotations = j(j(csv.metadata).annotations);
    for (const key of ['capabilities', 'categories', 'containerImage', 'createdAt', 'description', 'repository', 'support'])
      assert.ok(annotations[key], key);
  });

  it('supports every install mode (README decisions, namespace scope)', () => {
    assert.deepEqual(spec.installModes, [
      { type: 'OwnNamespace', supported: true },
      { type: 'SingleNamespace', supported: true },
      { type: 'MultiNamespace', supported: true },
      { type: 'AllNamespaces', supported: true },
    ]);
  });

  it('owns exactly the CRDs of crds/, with descriptors that exist in their schemas', () => {
    const owned = j(spec.customresourcedefinitions).owned as Json[];
    const expected = committedCrds.map(({ crd }) => ({
      name: j(crd.metadata).name,
      version: (j(crd.spec).versions as Json[])[0].name,
      kind: j(j(crd.spec).names).kind,
    }));
    assert.deepEqual(
      owned.map((o) => ({ name: o.name, version: o.version, kind: o.kind })).sort((a, b) => String(a.kind).localeCompare(String(b.kind))),
      expected.sort((a, b) => String(a.kind).localeCompare(String(b.kind))),
    );
    for (const crd of owned) {
      const schema = crdSchema(String(crd.kind));
      for (const [list, root] of [
        ['specDescriptors', 'spec'],
        ['statusDescriptors', 'status'],
      ] as const) {
        for (const descriptor of (crd[list] as Json[] | undefined) ?? []) {
          assert.ok(
            schemaHasPath(schema, `${root}.${String(descriptor.path)}`),
            `${String(crd.kind)} ${list} ${String(descriptor.path)} not in the CRD schema`,
          );
        }
      }
      assert.ok((crd.resources as Json[]).length > 0);
    }
  });

  it('alm-examples: each validates against its CRD schema, every kind covered', () => {
    const examples = JSON.parse(String(j(j(csv.metadata).annotations)['alm-examples'])) as Json[];
    assert.deepEqual([...new Set(examples.map((e) => e.kind))].sort(), ['APIManager', 'APIcast', ...Object.keys(CAPABILITY_KINDS)].sort());
    for (const example of examples) {
      const validate = compileCrdSchema(crdSchema(String(example.kind)));
      assert.ok(validate(example), `${String(example.kind)}/${String(j(example.metadata).name)}: ${JSON.stringify(validate.errors)}`);
      const kind = String(example.kind);
      assert.equal(
        example.apiVersion,
        kind in CAPABILITY_KINDS ? apiVersionOf(kind as keyof typeof CAPABILITY_KINDS) : 'apps.3scale.net/v1alpha1',
      );
    }
    // The check has teeth: a wrong type is rejected.
    const broken = { ...examples[0], spec: { wildcardDomain: 42 } };
    assert.equal(compileCrdSchema(crdSchema('APIManager'))(broken), false);
  });

  describe('install strategy', () => {
    const deployments = install.deployments as Json[];
    const deployment = deployments[0];
    const podSpec = j(j(j(deployment.spec).template).spec);
    const container = (podSpec.containers as Json[])[0];
    const env = new Map((container.env as Json[]).map((e) => [String(e.name), e]));

    it('one operator Deployment, a valid apps/v1 Deployment spec, running `threescale-operator run`', () => {
      assert.equal(j(spec.install).strategy, 'deployment');
      assert.equal(deployments.length, 1);
      new Deployment({ metadata: { name: String(deployment.name) }, spec: deployment.spec as never }).validate();
      assert.deepEqual(container.command, ['threescale-operator', 'run']);
      assert.equal(container.image, j(j(csv.metadata).annotations).containerImage);
    });

    it('WATCH_NAMESPACE comes from the OperatorGroup target namespaces', () => {
      assert.deepEqual(env.get('WATCH_NAMESPACE')!.valueFrom, { fieldRef: { fieldPath: "metadata.annotations['olm.targetNamespaces']" } });
    });

    it('RELATED_IMAGE_* for every component, the gateway being ours', () => {
      const related = [...env.keys()].filter((n) => n.startsWith('RELATED_IMAGE_')).sort();
      assert.deepEqual(related, [
        'RELATED_IMAGE_APICAST',
        'RELATED_IMAGE_BACKEND',
        'RELATED_IMAGE_BACKEND_REDIS',
        'RELATED_IMAGE_SYSTEM',
        'RELATED_IMAGE_SYSTEM_MEMCACHED',
        'RELATED_IMAGE_SYSTEM_MYSQL',
        'RELATED_IMAGE_SYSTEM_POSTGRESQL',
        'RELATED_IMAGE_SYSTEM_REDIS',
        'RELATED_IMAGE_ZYNC',
        'RELATED_IMAGE_ZYNC_POSTGRESQL',
      ]);
      assert.equal(env.get('RELATED_IMAGE_APICAST')!.value, `quay.io/threescale-ts/apicast:${OPERATOR_PACKAGE_VERSION}`);
      assert.equal(env.has('OC_CLI_IMAGE'), false);
      const listed = (spec.relatedImages as Json[]).map((r) => r.image);
      for (const name of related) assert.ok(listed.includes(env.get(name)!.value), `${name} missing from spec.relatedImages`);
    });

    it("permissions and clusterPermissions for the Deployment's service account, least privilege", () => {
      const sa = podSpec.serviceAccountName;
      for (const key of ['permissions', 'clusterPermissions']) {
        const entries = install[key] as { serviceAccountName: string; rules: Rule[] }[];
        assert.ok(entries.length > 0, key);
        for (const entry of entries) {
          assert.equal(entry.serviceAccountName, sa);
          assert.ok(entry.rules.length > 0);
          for (const rule of entry.rules) {
            const where = `${key} ${JSON.stringify(rule)}`;
            assert.ok(!rule.verbs.includes('*') && !rule.resources.includes('*') && !rule.apiGroups.includes('*'), `wildcard in ${where}`);
            assert.ok(
              !rule.resources.some((r) => ['pods/exec', 'daemonsets', 'statefulsets', 'clusterroles', 'clusterrolebindings'].includes(r)),
              `not needed: ${where}`,
            );
            // The capabilities CRs are the operator's own; nothing else of that group exists.
            if (rule.apiGroups.includes('capabilities.3scale.net')) {
              const plurals: string[] = Object.values(CAPABILITY_KINDS).map((k) => k.plural);
              assert.ok(
                rule.resources.every((r) => plurals.includes(r.replace(/\/status$/, ''))),
                `not needed: ${where}`,
              );
            }
            assert.ok(
              rule.verbs.every((v) => ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'].includes(v)),
              `unusual verb: ${where}`,
            );
          }
        }
      }
      const namespaced = (install.permissions as { rules: Rule[] }[]).flatMap((p) => p.rules);
      assert.ok(
        namespaced.some((r) => r.apiGroups.includes('coordination.k8s.io') && r.resources.includes('leases')),
        'leader election lease',
      );
      const covers = (group: string, resource: string, verb: string) =>
        namespaced.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
      for (const [group, resource, verb] of [
        ['apps.openshift.io', 'deploymentconfigs', 'create'],
        ['', 'secrets', 'create'],
        ['apps.3scale.net', 'apimanagers/status', 'update'],
        ['apps', 'deployments', 'create'],
      ] as const) {
        assert.ok(covers(group, resource, verb), `${verb} ${group}/${resource}`);
      }
    });
  });
});
