import assert from 'node:assert/strict';
import { validateObject } from './validate-object.js';

// The instantiation tests only prove something if this checker rejects bad objects of each family.
describe('validateObject (schema check used by the template tests)', () => {
  it('rejects a malformed Kubernetes object, naming kind, name and field', () => {
    const problems = validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'http' }] } });
    assert.match(problems.join('\n'), /Service\/s: .*port/);
  });

  it('rejects a wrong apiVersion for a Kubernetes kind', () => {
    assert.match(validateObject({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: {} }).join(), /PodDisruptionBudget\/p: .*apiVersion/);
  });

  it('rejects a malformed DeploymentConfig and a BuildConfig with an unknown field', () => {
    assert.notDeepEqual(validateObject({ apiVersion: 'apps.openshift.io/v1', kind: 'DeploymentConfig', metadata: { name: 'd' } }), []);
    const build = { apiVersion: 'build.openshift.io/v1', kind: 'BuildConfig', metadata: { name: 'b' }, spec: { source: { type: 'Binary' }, strategy: { type: 'Docker', dockerStrategy: { form: {} } } } };
    assert.match(validateObject(build).join(), /form/);
  });

  it('refuses kinds it has no schema for instead of passing them', () => {
    assert.match(validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }).join(), /no schema for kind Pod/);
  });

  it('accepts a well-formed object', () => {
    assert.deepEqual(validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }), []);
  });
});
