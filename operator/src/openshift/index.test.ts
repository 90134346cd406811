import assert from 'node:assert/strict';
import {
  validateDeploymentConfig,
  validateImageStream,
  validateRoute,
  validateTemplate,
  type DeploymentConfig,
  type ImageStream,
  type Route,
  type Template,
} from './index.js';

const route: Route = {
  apiVersion: 'route.openshift.io/v1',
  kind: 'Route',
  metadata: { name: 'backend' },
  spec: {
    host: 'backend-3scale.example.com',
    to: { kind: 'Service', name: 'backend-listener' },
    port: { targetPort: 'http' },
    tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Allow' },
  },
};

const dc: DeploymentConfig = {
  apiVersion: 'apps.openshift.io/v1',
  kind: 'DeploymentConfig',
  metadata: { name: 'backend-listener' },
  spec: {
    replicas: 1,
    selector: { deploymentConfig: 'backend-listener' },
    strategy: {
      type: 'Rolling',
      rollingParams: { intervalSeconds: 1, updatePeriodSeconds: 1, timeoutSeconds: 600, maxSurge: '25%', maxUnavailable: '25%' },
    },
    triggers: [
      { type: 'ConfigChange' },
      {
        type: 'ImageChange',
        imageChangeParams: {
          automatic: true,
          containerNames: ['backend-listener'],
          from: { kind: 'ImageStreamTag', name: 'amp-backend:2.9' },
        },
      },
    ],
    template: {
      metadata: { labels: { deploymentConfig: 'backend-listener' } },
      spec: { containers: [{ name: 'backend-listener', image: 'amp-backend:latest' }] },
    },
  },
};

const imageStream: ImageStream = {
  apiVersion: 'image.openshift.io/v1',
  kind: 'ImageStream',
  metadata: { name: 'amp-backend', annotations: { 'openshift.io/display-name': 'AMP backend' } },
  spec: {
    lookupPolicy: { local: false },
    tags: [
      {
        name: '2.9',
        from: { kind: 'DockerImage', name: 'quay.io/3scale/apisonator:3scale-2.9' },
        importPolicy: { insecure: false },
        referencePolicy: { type: '' },
      },
    ],
  },
};

const template: Template = {
  apiVersion: 'template.openshift.io/v1',
  kind: 'Template',
  metadata: { name: '3scale-api-management' },
  message: 'Login on https://${TENANT_NAME}-admin.${WILDCARD_DOMAIN}',
  objects: [
    {
      apiVersion: 'image.openshift.io/v1',
      kind: 'ImageStream',
      metadata: { name: 'amp-backend' },
      spec: { tags: [{ importPolicy: { insecure: '${{IMAGESTREAM_TAG_IMPORT_INSECURE}}' } }] },
    },
  ],
  parameters: [
    { name: 'AMP_RELEASE', value: '2.9', required: true },
    { name: 'ADMIN_PASSWORD', generate: 'expression', from: '[a-z0-9]{8}', required: true },
  ],
};

describe('OpenShift types and validators (from the stand-in CRD schemas)', () => {
  it('accepts well-formed objects of each kind as the operator builds them', () => {
    assert.deepEqual(validateRoute(route), []);
    assert.deepEqual(validateDeploymentConfig(dc), []);
    assert.deepEqual(validateImageStream(imageStream), []);
    assert.deepEqual(validateTemplate(template), []);
  });

  it('names the field and the reason for a malformed Route', () => {
    const bad = structuredClone(route) as unknown as { spec: Record<string, unknown> };
    delete bad.spec.to;
    bad.spec.tls = { termination: 'edgy' };
    const errors = validateRoute(bad);
    assert.ok(errors.includes("spec: must have required property 'to'"), errors.join('\n'));
    assert.ok(
      errors.some((e) => e.startsWith('spec.tls.termination: must be equal to one of the allowed values')),
      errors.join('\n'),
    );
  });

  it('applies server-side defaults before checking, without touching the caller object', () => {
    const noKind = { ...route, spec: { to: { name: 'backend-listener' } } };
    assert.deepEqual(validateRoute(noKind), []);
    assert.deepEqual(noKind.spec.to, { name: 'backend-listener' });
  });

  it('rejects unknown fields (typos) like strict field validation', () => {
    const typo = structuredClone(dc) as unknown as { spec: Record<string, unknown> };
    typo.spec.replica = 2;
    assert.deepEqual(validateDeploymentConfig(typo), ['spec: unknown field "replica"']);
  });

  it('checks int-or-string fields and types', () => {
    const bad = structuredClone(dc) as unknown as { spec: { strategy: { rollingParams: Record<string, unknown> }; replicas: unknown } };
    bad.spec.strategy.rollingParams.maxSurge = true;
    bad.spec.replicas = 'one';
    const errors = validateDeploymentConfig(bad);
    assert.ok(errors.includes('spec.strategy.rollingParams.maxSurge: must be an integer or a string'), errors.join('\n'));
    assert.ok(errors.includes('spec.replicas: must be integer'), errors.join('\n'));
  });

  it('rejects the wrong apiVersion or kind, and template objects without apiVersion', () => {
    assert.deepEqual(validateImageStream({ ...imageStream, apiVersion: 'v1' }), ['apiVersion: must be "image.openshift.io/v1", got "v1"']);
    const bad = { ...template, objects: [{ metadata: { name: 'x' } }] };
    assert.deepEqual(validateTemplate(bad), ['objects.0: must be a Kubernetes object with apiVersion and kind']);
    const badParam = { ...template, parameters: [{ name: 'A-B', generate: 'random' }] };
    assert.equal(validateTemplate(badParam).length, 2, validateTemplate(badParam).join('\n'));
  });

  it('checks a DeploymentConfig pod template against the core/v1 schema', () => {
    const bad = structuredClone(dc) as unknown as { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
    bad.spec.template.spec.containers[0] = { image: 'x', ports: [{ containerPort: 'http' }] };
    const errors = validateDeploymentConfig(bad);
    assert.ok(errors.includes("spec.template.spec.containers.0: must have required property 'name'"), errors.join('\n'));
    assert.ok(errors.includes('spec.template.spec.containers.0.ports.0.containerPort: must be integer'), errors.join('\n'));
  });
});
