import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { writeDeployManifests } from './command.js';
import { deployManifests } from './manifests.js';
import { OPERATOR_RULES } from '../rbac/rules.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const files = [
  'service_account.yaml',
  'role.yaml',
  'role_binding.yaml',
  'operator.yaml',
  'samples.yaml',
  'crds/apps.3scale.net_apimanagers.yaml',
  'crds/apps.3scale.net_apicasts.yaml',
];

describe('deploy manifests (manifests/deploy)', () => {
  it('the committed files are exactly what `threescale-operator deploy-manifests` generates', () => {
    const out = mkdtempSync(join(tmpdir(), 'deploy-'));
    assert.equal(writeDeployManifests([], out), 0);
    for (const variant of ['namespaced', 'cluster-wide']) {
      for (const file of files) {
        assert.equal(
          readFileSync(join(root, 'manifests/deploy', variant, file), 'utf8'),
          readFileSync(join(out, variant, file), 'utf8'),
          `${variant}/${file} is stale: run node bin/threescale-operator.js deploy-manifests --out manifests/deploy`,
        );
      }
    }
  });

  it('namespaced: Role + RoleBinding and WATCH_NAMESPACE from the downward API; cluster-wide: ClusterRole and all namespaces', () => {
    const kinds = (scope: 'namespaced' | 'cluster') =>
      deployManifests({ image: 'img' }, scope).flatMap((f) => f.objects.map((o) => o.kind));
    assert.ok(kinds('namespaced').includes('Role') && !kinds('namespaced').includes('ClusterRole'));
    assert.ok(kinds('cluster').includes('ClusterRole') && kinds('cluster').includes('ClusterRoleBinding'));
    const operator = parseAllDocuments(readFileSync(join(root, 'manifests/deploy/namespaced/operator.yaml'), 'utf8'))[0].toJS() as {
      spec: {
        template: {
          spec: {
            serviceAccountName: string;
            containers: { command: string[]; env: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] }[];
          };
        };
      };
    };
    const container = operator.spec.template.spec.containers[0];
    assert.deepEqual(container.command, ['threescale-operator', 'run']);
    assert.equal(container.env.find((e) => e.name === 'WATCH_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath, 'metadata.namespace');
    assert.equal(operator.spec.template.spec.serviceAccountName, '3scale-operator');
  });

  it('grants least privilege: no wildcard, no pods/exec, no delete on secrets or PVCs', () => {
    for (const rule of OPERATOR_RULES) {
      assert.ok(!rule.verbs.includes('*') && !rule.resources.includes('*') && !rule.apiGroups.includes('*'));
      assert.ok(!rule.resources.includes('pods/exec'));
      if (rule.resources.includes('secrets') || rule.resources.includes('persistentvolumeclaims'))
        assert.ok(!rule.verbs.includes('delete'));
    }
  });
});
