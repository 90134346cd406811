/**
 * One source for types, validation and the cluster: the operator's ajv
 * validators (operator/src/openshift) must accept exactly what the test
 * cluster's API server accepts for the stand-in kinds (dry-run, strict field
 * validation). CEL rules are the known exception: only the API server runs them.
 */
import assert from 'node:assert/strict';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { openshiftKinds, validateOpenShiftObject, type OpenShiftKind } from '../../operator/src/openshift/index.js';
import { clusterStartTimeoutMs, useCluster } from './shared.js';
import { createNamespace, deleteNamespace } from './namespaces.js';
import { statusMessage } from './errors.js';

type Case = { title: string; kind: Exclude<OpenShiftKind, 'Template'>; spec: Record<string, unknown>; extra?: Record<string, unknown> };

const dcSpec = { replicas: 1, selector: { deploymentConfig: 'x' }, template: { spec: { containers: [{ name: 'x', image: 'x:latest' }] } } };

const cases: Case[] = [
  {
    title: 'a full DeploymentConfig',
    kind: 'DeploymentConfig',
    spec: {
      ...dcSpec,
      strategy: {
        type: 'Rolling',
        rollingParams: {
          intervalSeconds: 1,
          maxSurge: '25%',
          maxUnavailable: 0,
          pre: { failurePolicy: 'Retry', execNewPod: { command: ['bash', '-c', 'true'], containerName: 'x' } },
        },
      },
      triggers: [
        {
          type: 'ImageChange',
          imageChangeParams: { automatic: true, containerNames: ['x'], from: { kind: 'ImageStreamTag', name: 'amp-system:2.9' } },
        },
      ],
    },
  },
  { title: 'a DC with a typo (replica)', kind: 'DeploymentConfig', spec: { ...dcSpec, replica: 2 } },
  { title: 'a DC with string replicas', kind: 'DeploymentConfig', spec: { ...dcSpec, replicas: '1' } },
  {
    title: 'a DC hook without failurePolicy',
    kind: 'DeploymentConfig',
    spec: { ...dcSpec, strategy: { type: 'Recreate', recreateParams: { mid: { execNewPod: { command: ['x'], containerName: 'x' } } } } },
  },
  { title: 'a DC with a boolean maxSurge', kind: 'DeploymentConfig', spec: { ...dcSpec, strategy: { rollingParams: { maxSurge: true } } } },
  { title: 'a DC trigger of an unknown type', kind: 'DeploymentConfig', spec: { ...dcSpec, triggers: [{ type: 'Manual' }] } },
  { title: 'a DC selector with a number value', kind: 'DeploymentConfig', spec: { ...dcSpec, selector: { app: 3 } } },
  {
    title: 'an edge Route',
    kind: 'Route',
    spec: {
      host: 'a.example.com',
      to: { kind: 'Service', name: 's', weight: 100 },
      port: { targetPort: 8080 },
      tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
    },
  },
  { title: 'a Route without to', kind: 'Route', spec: { host: 'a.example.com' } },
  { title: 'a Route with an invalid host', kind: 'Route', spec: { host: 'not a host', to: { name: 's' } } },
  { title: 'a Route with an unknown termination', kind: 'Route', spec: { to: { name: 's' }, tls: { termination: 'edgy' } } },
  { title: 'a Route with weight 300', kind: 'Route', spec: { to: { name: 's', weight: 300 } } },
  { title: 'a Route with a typo in to', kind: 'Route', spec: { to: { name: 's', namespace: 'other' } } },
  {
    title: 'an ImageStream as the templates write it',
    kind: 'ImageStream',
    spec: {
      lookupPolicy: { local: false },
      tags: [
        {
          name: '2.9',
          annotations: { 'openshift.io/display-name': 'x' },
          from: { kind: 'DockerImage', name: 'r/x:2.9' },
          importPolicy: { insecure: false },
          referencePolicy: { type: '' },
        },
      ],
    },
  },
  { title: 'an ImageStream tag without name', kind: 'ImageStream', spec: { tags: [{ from: { kind: 'DockerImage', name: 'r/x' } }] } },
  { title: 'an ImageStream referencePolicy without type', kind: 'ImageStream', spec: { tags: [{ name: 'a', referencePolicy: {} }] } },
  {
    title: 'an ImageStream with a string insecure flag',
    kind: 'ImageStream',
    spec: { tags: [{ name: 'a', importPolicy: { insecure: 'false' } }] },
  },
];

describe('OpenShift validators agree with the test cluster API server', function () {
  this.timeout(60_000);
  let kc: KubeConfig;
  let namespace: string;

  before(async function () {
    this.timeout(clusterStartTimeoutMs);
    kc = (await useCluster()).kubeConfig();
    namespace = await createNamespace(kc, 'validators');
  });
  after(async () => {
    if (namespace) await deleteNamespace(kc, namespace);
  });

  for (const c of cases) {
    it(c.title, async () => {
      const info = openshiftKinds[c.kind];
      const body = { apiVersion: `${info.group}/${info.version}`, kind: c.kind, metadata: { name: 'probe' }, spec: c.spec };
      const localErrors = validateOpenShiftObject(c.kind, body);
      let serverError: string | undefined;
      try {
        await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
          group: info.group,
          version: info.version,
          plural: info.plural,
          namespace,
          body,
          dryRun: 'All',
          fieldValidation: 'Strict',
        });
      } catch (error) {
        serverError = statusMessage(error);
      }
      assert.equal(
        localErrors.length === 0,
        serverError === undefined,
        `validator: ${localErrors.join('; ') || 'valid'} — API server: ${serverError ?? 'accepted'}`,
      );
    });
  }
});
