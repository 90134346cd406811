// Schema check of one processed object by its kind, for the tests: Kubernetes kinds with kubernetes-models 4
// `validate()`, OpenShift kinds with the validators generated from the test cluster's stand-in schemas, and
// BuildConfig with our own structural schema (build-config.schema.ts; OpenShift serves no CRD for it and the
// test cluster has no stand-in). An unknown kind is an error: every kind a template yields must be checked.
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { validateDeploymentConfig, validateImageStream, validateRoute } from '../../openshift/index.js';
import { validateBuildConfig } from './build-config.schema.js';

interface Validatable { apiVersion: string; kind: string; validate(): void }
// kubernetes-models constructors take their own typed interface; the objects here are plain JSON checked
// by validate() itself, hence the loose constructor type.
type ModelClass = new (data: never) => Validatable;

const KUBERNETES: Readonly<Partial<Record<string, ModelClass>>> = {
  ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount, Role, RoleBinding, PodDisruptionBudget, Deployment, Job, Ingress,
};

const OPENSHIFT: Readonly<Partial<Record<string, (o: unknown) => string[]>>> = {
  DeploymentConfig: validateDeploymentConfig,
  ImageStream: validateImageStream,
  Route: validateRoute,
  BuildConfig: validateBuildConfig,
};

/** Problems of `object` (empty = valid), each prefixed with kind/name. */
export function validateObject(input: unknown): string[] {
  const object = (typeof input === 'object' && input !== null ? input : {}) as { kind?: unknown; metadata?: { name?: unknown } };
  const where = `${String(object.kind)}/${String(object.metadata?.name)}`;
  const kind = String(object.kind);
  const openshift = OPENSHIFT[kind];
  if (openshift) return openshift(object).map((e) => `${where}: ${e}`);
  const model = KUBERNETES[kind];
  if (!model) return [`${where}: no schema for kind ${kind}`];
  const instance = new model(structuredClone(object) as never);
  try {
    // validate() also checks apiVersion and kind against the model's own.
    instance.validate();
    return [];
  } catch (error) {
    return [`${where}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
