import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { generateModule, readCrd } from './generate.js';
import { allSchemaSources, generatedTypesPath } from './sources.js';

describe('OpenShift types generator', () => {
  it('operator/src/openshift/generated.ts is up to date with the stand-in CRDs', async () => {
    const expected = generateModule(await allSchemaSources());
    const actual = await readFile(generatedTypesPath(), 'utf8');
    assert.ok(
      actual === expected,
      'generated.ts is stale: run `node dist/test/cluster/openshift-types/cli.js` after changing test/cluster/crds',
    );
  });

  it('reads group, version, plural and scope as OpenShift serves them', async () => {
    const kinds = (await allSchemaSources()).map(readCrd);
    const summary = kinds.map((k) => `${k.kind} ${k.group}/${k.version} ${k.plural} ${k.namespaced ? 'Namespaced' : 'Cluster'}`).sort();
    assert.deepEqual(summary, [
      'DeploymentConfig apps.openshift.io/v1 deploymentconfigs Namespaced',
      'ImageStream image.openshift.io/v1 imagestreams Namespaced',
      'Route route.openshift.io/v1 routes Namespaced',
      'Template template.openshift.io/v1 templates Namespaced',
    ]);
  });

  it('names the file and the field of a schema it cannot turn into types', () => {
    const crd = (schema: string): string =>
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        'spec: {group: example.com, scope: Namespaced, names: {kind: Widget, plural: widgets},',
        `  versions: [{name: v1, schema: {openAPIV3Schema: ${schema}}}]}`,
      ].join('\n');
    assert.throws(
      () => generateModule([{ file: 'w.yaml', text: crd('{type: object, properties: {spec: {type: object}}}') }]),
      /Widget spec: object without properties/,
    );
    assert.throws(
      () => generateModule([{ file: 'w.yaml', text: crd('{type: object, properties: {size: {type: decimal}}}') }]),
      /Widget size: unsupported schema type decimal/,
    );
    assert.throws(() => readCrd({ file: 'w.yaml', text: 'kind: Deployment' }), /w\.yaml: kind must be CustomResourceDefinition/);
  });
});
