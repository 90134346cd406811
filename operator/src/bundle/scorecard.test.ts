// The operator-sdk scorecard's static checks, run over the committed bundle (manifests/bundle) the way the
// scorecard runs them: every alm-example against the CSV and the CRDs. olm-bundle-validation (the default
// operator-framework/api validators) runs in test/bundle-validate with the real Go validators, next to the
// OperatorHub, good-practices and capabilities suites.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_NAME } from './csv.js';
import { displayNameOf, withTopLevelDescriptors } from './descriptors.js';

type Json = Record<string, unknown>;
const j = (o: unknown): Json => (o ?? {}) as Json;
const BUNDLE = new URL('../../../../manifests/bundle/manifests/', import.meta.url).pathname;
const documents = readdirSync(BUNDLE)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => j(parse(readFileSync(join(BUNDLE, f), 'utf8'))));
const csv = documents.find((d) => d.kind === 'ClusterServiceVersion')!;
const crds = documents.filter((d) => d.kind === 'CustomResourceDefinition');
const owned = j(j(csv.spec).customresourcedefinitions).owned as Json[];
const examples = JSON.parse(String(j(j(csv.metadata).annotations)['alm-examples'])) as Json[];
const ownedOf = (kind: unknown) => owned.find((o) => o.kind === kind);

describe('OLM bundle: the scorecard checks', () => {
  it(`reads the CSV ${PACKAGE_NAME} and an example of every owned CRD`, () => {
    assert.ok(csv);
    assert.deepEqual([...new Set(examples.map((e) => e.kind))].sort(), owned.map((o) => o.kind).sort());
  });

  it('basic-check-spec: every example has a non-empty spec', () => {
    for (const cr of examples)
      assert.ok(Object.keys(j(cr.spec)).length > 0, `${String(cr.kind)}/${String(j(cr.metadata).name)} has no spec`);
  });

  it("olm-crds-have-validation: every spec field of every example is in its CRD schema, for the example's version", () => {
    for (const cr of examples) {
      const [group, version] = String(cr.apiVersion).split('/');
      const crd = crds.find((c) => j(c.spec).group === group && j(j(c.spec).names).kind === cr.kind);
      assert.ok(crd, `no CRD for ${String(cr.kind)}`);
      const served = (j(crd.spec).versions as Json[]).find((v) => v.name === version);
      assert.ok(served, `${String(cr.kind)}: the CRD has no version ${version}`);
      const properties = j(j(j(j(j(served.schema).openAPIV3Schema).properties).spec).properties);
      for (const key of Object.keys(j(cr.spec))) assert.ok(key in properties, `${String(cr.kind)}: spec.${key} is not in the CRD schema`);
    }
  });

  it('olm-crds-have-resources: every owned CRD lists the resources it manages', () => {
    for (const o of owned) assert.ok(Array.isArray(o.resources) && o.resources.length > 0, `${String(o.name)} has no resources`);
  });

  it('olm-spec-descriptors: every top-level spec field of every example has a spec descriptor', () => {
    for (const cr of examples) {
      const paths = new Set(((ownedOf(cr.kind)?.specDescriptors as Json[] | undefined) ?? []).map((d) => d.path));
      const missing = Object.keys(j(cr.spec)).filter((key) => !paths.has(key));
      assert.deepEqual(missing, [], `${String(cr.kind)}/${String(j(cr.metadata).name)}: no spec descriptor for ${missing.join(', ')}`);
    }
  });

  it('olm-status-descriptors: every owned CRD with a status has status descriptors, and they name fields of its status', () => {
    for (const o of owned) {
      const crd = crds.find((c) => `${String(j(j(c.spec).names).plural)}.${String(j(c.spec).group)}` === o.name)!;
      const version = (j(crd.spec).versions as Json[]).find((v) => v.name === o.version)!;
      const status = j(j(j(j(version.schema).openAPIV3Schema).properties).status);
      const descriptors = (o.statusDescriptors as Json[] | undefined) ?? [];
      assert.ok(descriptors.length > 0, `${String(o.name)} has a status and no status descriptor`);
      for (const d of descriptors)
        assert.ok(
          String(d.path).split('.')[0] in j(status.properties),
          `${String(o.name)}: status descriptor ${String(d.path)} is not a status field`,
        );
    }
  });

  it('the generated descriptors: a label and help text per top-level field, hand-written ones kept first', () => {
    assert.equal(displayNameOf('privateBaseURL'), 'Private Base URL');
    assert.equal(displayNameOf('applicationPlanName'), 'Application Plan Name');
    const schema = {
      properties: {
        name: { type: 'string', description: 'Name shown. More text.' },
        enabled: { type: 'boolean', description: 'On.' },
        secretRef: { type: 'object', description: 'Secret with the key.' },
      },
    };
    const written = [{ path: 'name', displayName: 'The Name', description: 'mine' }];
    assert.deepEqual(withTopLevelDescriptors(schema, written), [
      written[0],
      {
        path: 'enabled',
        displayName: 'Enabled',
        description: 'On.',
        'x-descriptors': ['urn:alm:descriptor:com.tectonic.ui:booleanSwitch'],
      },
      {
        path: 'secretRef',
        displayName: 'Secret Ref',
        description: 'Secret with the key.',
        'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
      },
    ]);
  });
});
