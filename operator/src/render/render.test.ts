// The render command as a user runs it: a child process, exit codes, stdout and stderr.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const bin = fileURLToPath(new URL('../../../../bin/threescale-operator.js', import.meta.url));
const examples = fileURLToPath(new URL('../../../../operator/examples/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'render-test-'));

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const kinds = (stdout: string) => parseAllDocuments(stdout).map((d) => (d.toJS() as { kind: string }).kind);

describe('threescale-operator render (child process)', () => {
  it('prints the 67 objects of the default example as multi-document YAML, exit 0', () => {
    const r = run(['render', '--file', join(examples, 'apimanager.yaml')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const k = kinds(r.stdout);
    assert.equal(k.length, 67);
    assert.equal(k.filter((x) => x === 'DeploymentConfig').length, 15);
  });

  it('--flavour kubernetes prints Deployments, Jobs and Ingresses instead', () => {
    const r = run(['render', '--file', join(examples, 'apimanager.yaml'), '--flavour', 'kubernetes']);
    assert.equal(r.status, 0, r.stderr);
    const k = kinds(r.stdout);
    assert.equal(k.filter((x) => x === 'Deployment').length, 15);
    assert.equal(k.filter((x) => x === 'Job').length, 2);
    assert.equal(k.filter((x) => x === 'Ingress').length, 6);
    assert.ok(!k.includes('DeploymentConfig') && !k.includes('ImageStream') && !k.includes('Route'));
  });

  it('honours RELATED_IMAGE_* in the rendered ImageStreams', () => {
    const r = run(['render', '--file', join(examples, 'apimanager.yaml')], { RELATED_IMAGE_SYSTEM: 'registry.example/system:9' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.includes('name: registry.example/system:9'));
  });

  it('renders every example CR (HA, S3, PostgreSQL, APIcast)', () => {
    const expected: Record<string, number> = {
      'apimanager-ha.yaml': 58,
      'apimanager-s3.yaml': 66,
      'apimanager-postgresql.yaml': 65,
      'apicast.yaml': 3,
    };
    for (const [name, count] of Object.entries(expected)) {
      const r = run(['render', '--file', join(examples, name)]);
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.equal(kinds(r.stdout).length, count, name);
    }
  });

  it('an invalid CR exits 1, names every bad field on stderr, prints nothing on stdout', () => {
    const path = file(
      'bad.yaml',
      'apiVersion: apps.3scale.net/v1alpha1\nkind: APIManager\nmetadata: {name: bad}\nspec:\n  apicast: {managementAPI: loud}\n  system: {database: {mysql: {}, postgresql: {}}}\n',
    );
    const r = run(['render', '--file', path]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /spec\.wildcardDomain: required field is missing/);
    assert.match(r.stderr, /spec\.apicast\.managementAPI: must be one of disabled, status, debug/);
  });

  it('cross-field errors come from the model layer', () => {
    const path = file(
      'two-db.yaml',
      'apiVersion: apps.3scale.net/v1alpha1\nkind: APIManager\nmetadata: {name: x}\nspec:\n  wildcardDomain: d\n  system: {database: {mysql: {}, postgresql: {}}}\n',
    );
    const r = run(['render', '--file', path]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /spec\.system\.database: Only one System Database can be chosen at the same time/);
  });

  it('a deprecated field renders with a warning on stderr', () => {
    const path = file(
      'old-s3.yaml',
      'apiVersion: apps.3scale.net/v1alpha1\nkind: APIManager\nmetadata: {name: x}\nspec:\n  wildcardDomain: d\n  system:\n    fileStorage:\n      amazonSimpleStorageService: {awsBucket: b, awsRegion: r, awsCredentialsSecret: {name: aws}}\n',
    );
    const r = run(['render', '--file', path]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: .*spec\.system\.fileStorage\.amazonSimpleStorageService: deprecated/);
    assert.match(r.stdout, /name: system-storage/);
  });

  it('unknown kind, unreadable file, YAML syntax error and a bad flavour all fail with a message', () => {
    const unknown = run(['render', '--file', file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /kind: must be APIManager or APIcast/);
    const missing = run(['render', '--file', join(dir, 'nope.yaml')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read .*nope\.yaml: ENOENT/);
    const broken = run(['render', '--file', file('broken.yaml', 'kind: [unclosed\n')]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /YAML/);
    const flavour = run(['render', '--file', join(examples, 'apimanager.yaml'), '--flavour', 'mesos']);
    assert.equal(flavour.status, 2);
    assert.equal(flavour.stdout, '');
  });

  it('secrets differ between two renders (generated fresh, no fixed values)', () => {
    const a = run(['render', '--file', join(examples, 'apimanager.yaml')]).stdout;
    const b = run(['render', '--file', join(examples, 'apimanager.yaml')]).stdout;
    const key = (s: string) => /SECRET_KEY_BASE: (\S+)/.exec(s)?.[1];
    assert.notEqual(key(a), undefined);
    assert.notEqual(key(a), key(b));
  });

  it('crds --out writes both CRDs', () => {
    const out = join(dir, 'crds');
    const r = run(['crds', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    for (const name of ['apps.3scale.net_apimanagers.yaml', 'apps.3scale.net_apicasts.yaml']) {
      assert.deepEqual(kinds(readFileSync(join(out, name), 'utf8')), ['CustomResourceDefinition'], name);
    }
  });
});

describe('render output shape', () => {
  it('uses no YAML anchors or aliases (every object stands alone)', () => {
    const r = run(['render', '--file', join(examples, 'apimanager.yaml'), '--flavour', 'kubernetes']);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /(^|\s)[&*]a\d+/m);
  });
});
