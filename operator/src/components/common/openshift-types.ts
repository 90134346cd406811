// Minimal local shapes of the OpenShift kinds we build (apps.openshift.io/v1 DeploymentConfig,
// route.openshift.io/v1 Route, image.openshift.io/v1 ImageStream). Kept here until operator/src/openshift/
// (generated from the stand-in CRDs) exists; they only contain the fields the builders write.
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';

export interface NamedMeta extends IObjectMeta {
  name: string;
}

/** Index signature so that these kinds are assignable to the generic KubeObject. */
interface Open {
  [field: string]: unknown;
}

export interface ExecNewPodHook {
  failurePolicy: 'Retry' | 'Abort' | 'Ignore';
  execNewPod: { containerName: string; command: string[]; env?: IEnvVar[]; volumes?: string[] };
}

export interface RollingParams {
  intervalSeconds: number;
  updatePeriodSeconds: number;
  maxSurge: string;
  maxUnavailable: string;
  timeoutSeconds?: number;
  pre?: ExecNewPodHook;
  post?: ExecNewPodHook;
}

export type DeploymentConfigStrategy = { type: 'Rolling'; rollingParams: RollingParams } | { type: 'Recreate' } | Record<string, never>;

export type DeploymentConfigTrigger =
  | { type: 'ConfigChange' }
  | {
      type: 'ImageChange';
      imageChangeParams: { automatic: boolean; containerNames: string[]; from: { kind: 'ImageStreamTag'; name: string } };
    };

export interface DeploymentConfig extends Open {
  apiVersion: 'apps.openshift.io/v1';
  kind: 'DeploymentConfig';
  metadata: NamedMeta;
  spec: {
    replicas: number;
    selector: Record<string, string>;
    strategy: DeploymentConfigStrategy;
    triggers: DeploymentConfigTrigger[];
    template: IPodTemplateSpec;
  };
}

export interface Route extends Open {
  apiVersion: 'route.openshift.io/v1';
  kind: 'Route';
  metadata: NamedMeta;
  spec: {
    host: string;
    to: { kind: 'Service'; name: string };
    port: { targetPort: string };
    tls: { termination: 'edge'; insecureEdgeTerminationPolicy: 'Allow' };
  };
}

export interface ImageStreamTag {
  name: string;
  annotations: Record<string, string>;
  from: { kind: 'DockerImage'; name: string };
  importPolicy: { insecure: boolean | string };
  referencePolicy: { type: string };
}

export interface ImageStream extends Open {
  apiVersion: 'image.openshift.io/v1';
  kind: 'ImageStream';
  metadata: NamedMeta;
  spec: { lookupPolicy: { local: boolean }; tags: ImageStreamTag[] };
}
