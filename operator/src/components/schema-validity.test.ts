// Every built object is valid for its kind: core kinds through kubernetes-models' validate(), OpenShift kinds
// through the validators generated from the test cluster's stand-in CRDs — in every mode and both flavours.
import assert from 'node:assert/strict';
import { Service } from 'kubernetes-models/v1/Service';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { validateDeploymentConfig, validateImageStream, validateRoute } from '../openshift/index.js';
import type { APIManagerSpec } from '../api/types.js';
import type { KubeObject } from './common/desired.js';
import { build } from '../testing/build.js';
import { buildApicastCr } from './apicast-cr/index.js';
import { toApicastModel } from '../model/apicast.js';

type Validator = (o: KubeObject) => string[];
const core =
  (Ctor: new (data: never) => { validate(): void }): Validator =>
  (o) => {
    try {
      new Ctor(structuredClone(o) as never).validate();
      return [];
    } catch (error) {
      return [String(error)];
    }
  };

const VALIDATORS: Partial<Record<string, Validator>> = {
  Service: core(Service),
  ConfigMap: core(ConfigMap),
  Secret: core(Secret),
  PersistentVolumeClaim: core(PersistentVolumeClaim),
  ServiceAccount: core(ServiceAccount),
  Role: core(Role),
  RoleBinding: core(RoleBinding),
  PodDisruptionBudget: core(PodDisruptionBudget),
  Ingress: core(Ingress),
  Deployment: core(Deployment),
  Job: core(Job),
  DeploymentConfig: validateDeploymentConfig,
  ImageStream: validateImageStream,
  Route: validateRoute,
};
// CRD kinds of optional operators (prometheus-operator, grafana-operator): shape checked in monitoring tests.
const EXTERNAL_KINDS = new Set(['PodMonitor', 'GrafanaDashboard', 'PrometheusRule']);

const MODES: Record<string, Partial<APIManagerSpec>> = {
  default: {},
  ha: { highAvailability: { enabled: true }, podDisruptionBudget: { enabled: true } },
  eval: { resourceRequirementsEnabled: false },
  s3: { system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 'aws-auth' } } } } },
  postgresql: { system: { database: { postgresql: {} } }, monitoring: { enabled: true } },
  scheduling: {
    apicast: {
      productionSpec: {
        replicas: 3,
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
        affinity: { nodeAffinity: {} },
      },
    },
  },
};

describe('built objects validate against their kind schemas', () => {
  for (const flavour of ['openshift', 'kubernetes'] as const) {
    for (const [mode, spec] of Object.entries(MODES)) {
      it(`${mode} mode, ${flavour} flavour`, () => {
        const problems: string[] = [];
        for (const { object } of build(spec, { flavour }).objects) {
          if (EXTERNAL_KINDS.has(object.kind)) continue;
          const validate = VALIDATORS[object.kind];
          if (validate === undefined) {
            problems.push(`no validator for ${object.kind}`);
            continue;
          }
          for (const p of validate(object)) problems.push(`${object.kind} ${object.metadata.name}: ${p}`);
        }
        assert.deepEqual(problems, []);
      });
    }
  }

  it('APIcast CR objects (Deployment, Service, Ingress)', () => {
    const model = toApicastModel(
      {
        apiVersion: 'apps.3scale.net/v1alpha1',
        kind: 'APIcast',
        metadata: { name: 'gw' },
        spec: {
          embeddedConfigurationSecretRef: { name: 'cfg' },
          exposedHost: { host: 'gw.example.com', tls: [{ hosts: ['gw.example.com'], secretName: 'tls' }] },
          customPolicies: [{ name: 'p', version: '1.0', secretRef: { name: 'ps' } }],
        },
      },
      {},
    );
    assert.ok(model.ok);
    for (const { object } of buildApicastCr(model.value).objects) assert.deepEqual(VALIDATORS[object.kind]?.(object), [], object.kind);
  });

  it('eval mode: every container has empty resources', () => {
    for (const flavour of ['openshift', 'kubernetes'] as const) {
      for (const { object } of build({ resourceRequirementsEnabled: false }, { flavour }).objects) {
        const pod = (object.spec as { template?: { spec?: { containers?: { resources?: unknown }[] } } } | undefined)?.template?.spec;
        for (const c of pod?.containers ?? []) if (object.kind !== 'Job') assert.deepEqual(c.resources, {}, object.metadata.name);
      }
    }
  });
});
