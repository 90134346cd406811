// The committed crds/ files are what the schemas generate, and they are structural (apiextensions v1 rules).
import { CAPABILITY_KINDS } from '../capabilities/api/kinds.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CRD_FILES, crdYaml } from './crds.js';

const repoRoot = new URL('../../../../', import.meta.url);

/** Structural schema rules: every node has a type, unless it is int-or-string / preserve-unknown-fields. */
function structuralProblems(schema: unknown, path: string): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const problems: string[] = [];
  const exempt = node['x-kubernetes-int-or-string'] === true || node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!('type' in node) && !exempt) problems.push(`${path}: no type`);
  for (const [key, value] of Object.entries(node.properties ?? {})) problems.push(...structuralProblems(value, `${path}.${key}`));
  if (node.items !== undefined) problems.push(...structuralProblems(node.items, `${path}[]`));
  if (typeof node.additionalProperties === 'object') problems.push(...structuralProblems(node.additionalProperties, `${path}{}`));
  for (const branch of (node.anyOf as Record<string, unknown>[] | undefined) ?? []) {
    const allowed = new Set(['required', 'type', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum']);
    for (const key of Object.keys(branch)) if (!allowed.has(key)) problems.push(`${path}: anyOf branch uses ${key}`);
    if ('type' in branch && node['x-kubernetes-int-or-string'] !== true) problems.push(`${path}: anyOf branch declares a type`);
  }
  return problems;
}

describe('CRDs (crds/)', () => {
  for (const [file, crd] of Object.entries(CRD_FILES)) {
    it(`${file} is up to date (regenerate with: threescale-operator crds --out crds)`, () => {
      const committed = readFileSync(new URL(`crds/${file}`, repoRoot), 'utf8');
      assert.equal(committed, crdYaml(crd));
    });

    it(`${file} is apiextensions.k8s.io/v1, namespaced, structural, with the status subresource`, () => {
      assert.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
      const spec = crd.spec as { scope: string; versions: { name: string; subresources: unknown; schema: { openAPIV3Schema: unknown } }[] };
      assert.equal(spec.scope, 'Namespaced');
      const [version] = spec.versions;
      // The install CRs are v1alpha1; the capabilities kinds keep 3scale-operator's versions (v1beta1, Tenant v1alpha1).
      const group = (crd.spec as { group: string }).group;
      const kind = (crd.spec as { names: { kind: string } }).names.kind;
      assert.equal(
        version.name,
        group === 'apps.3scale.net' ? 'v1alpha1' : CAPABILITY_KINDS[kind as keyof typeof CAPABILITY_KINDS].version,
      );
      assert.deepEqual(version.subresources, { status: {} });
      assert.deepEqual(structuralProblems(version.schema.openAPIV3Schema, 'root'), []);
    });
  }

  it('APIManager schema carries the documented defaults and enums', () => {
    const schema = JSON.stringify(CRD_FILES['apps.3scale.net_apimanagers.yaml']);
    for (const fragment of [
      '"default":"3scale-api-management"',
      '"default":"3scale"',
      '"enum":["disabled","status","debug"]',
      '"default":"http://apicast-staging:8090/policies"',
      '"required":["wildcardDomain"]',
    ]) {
      assert.ok(schema.includes(fragment), fragment);
    }
  });
});
