// kubernetes flavour (operator.md §9, README decisions "flavours"): DeploymentConfig → apps/v1 Deployment of the
// same name and labels, images resolved from the ImageChange stream, system-app hooks → Jobs, no ImageStreams,
// Route backend → Ingress plus the other five default-host Ingresses.
import { createHash } from 'node:crypto';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { ApiManagerImages, ApiManagerModel } from '../model/types.js';
import type { DeploymentConfig, ExecNewPodHook } from '../components/common/openshift-types.js';
import { type BuildResult, type DesiredObject, type ObjectRef, desired } from '../components/common/desired.js';
import { defaultIngresses } from './ingresses.js';

const STREAM_IMAGES: Partial<Record<string, keyof ApiManagerImages>> = {
  'amp-backend': 'backend',
  'amp-zync': 'zync',
  'amp-apicast': 'apicast',
  'amp-system': 'system',
  'zync-database-postgresql': 'zyncPostgresql',
  'system-memcached': 'systemMemcached',
  'backend-redis': 'backendRedis',
  'system-redis': 'systemRedis',
  'system-mysql': 'systemMysql',
  'system-postgresql': 'systemPostgresql',
};

export const HOOK_TEMPLATE_HASH_ANNOTATION = 'apps.3scale.net/workload-template-hash';

function streamImage(dc: DeploymentConfig, model: ApiManagerModel): string {
  for (const trigger of dc.spec.triggers) {
    if (trigger.type !== 'ImageChange') continue;
    const stream = trigger.imageChangeParams.from.name.split(':')[0] ?? '';
    const key = STREAM_IMAGES[stream];
    if (key !== undefined) return model.images[key];
  }
  throw new Error(`DeploymentConfig ${dc.metadata.name} has no known ImageChange stream`);
}

function withImage(containers: IContainer[] | undefined, image: string): IContainer[] | undefined {
  return containers?.map((c) => ({ ...c, image }));
}

/** Container env with the hook's entries added or replacing same-named ones (execNewPod semantics). */
function mergeEnv(base: IEnvVar[] = [], extra: IEnvVar[] = []): IEnvVar[] {
  const names = new Set(extra.map((e) => e.name));
  return [...base.filter((e) => !names.has(e.name)), ...extra];
}

function hookJob(dc: DeploymentConfig, template: IPodTemplateSpec, hook: ExecNewPodHook, phase: 'pre' | 'post'): DesiredObject {
  const spec = template.spec;
  const source = spec?.containers.find((c) => c.name === hook.execNewPod.containerName);
  if (spec === undefined || source === undefined) throw new Error(`hook of ${dc.metadata.name} names an unknown container`);
  const volumeNames = hook.execNewPod.volumes ?? [];
  const hash = createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 16);
  const podLabels = {
    ...(dc.metadata.labels ?? {}),
    threescale_component_element: `${dc.metadata.labels?.threescale_component_element ?? 'app'}-${phase}-hook`,
  };
  const container: IContainer = {
    name: `${dc.metadata.name}-${phase}`,
    image: source.image ?? '',
    command: hook.execNewPod.command,
    env: mergeEnv(source.env, hook.execNewPod.env),
    ...(source.imagePullPolicy !== undefined ? { imagePullPolicy: source.imagePullPolicy } : {}),
    ...(volumeNames.length > 0 ? { volumeMounts: (source.volumeMounts ?? []).filter((m) => volumeNames.includes(m.name)) } : {}),
  };
  return desired(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: `${dc.metadata.name}-${phase}`,
        labels: dc.metadata.labels ?? {},
        annotations: { [HOOK_TEMPLATE_HASH_ANNOTATION]: hash },
      },
      spec: {
        // failurePolicy Retry → retried by the Job controller; Abort → a single attempt.
        backoffLimit: hook.failurePolicy === 'Retry' ? 6 : 0,
        template: {
          metadata: { labels: podLabels },
          spec: {
            restartPolicy: 'Never',
            ...(spec.serviceAccountName !== undefined ? { serviceAccountName: spec.serviceAccountName } : {}),
            containers: [container],
            ...(volumeNames.length > 0 ? { volumes: (spec.volumes ?? []).filter((v) => volumeNames.includes(v.name)) } : {}),
          },
        },
      },
    },
    { mode: 'hook-job', phase, workload: dc.metadata.name },
  );
}

function toDeployment(entry: DesiredObject<DeploymentConfig>, model: ApiManagerModel): DesiredObject[] {
  const dc = entry.object;
  const image = streamImage(dc, model);
  const podSpec = dc.spec.template.spec;
  if (podSpec === undefined) throw new Error(`DeploymentConfig ${dc.metadata.name} has no pod spec`);
  const initContainers = withImage(podSpec.initContainers, image);
  const template: IPodTemplateSpec = {
    ...dc.spec.template,
    spec: {
      ...podSpec,
      ...(initContainers !== undefined ? { initContainers } : {}),
      containers: withImage(podSpec.containers, image) ?? [],
    },
  };
  const strategy = dc.spec.strategy;
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: dc.metadata,
    spec: {
      replicas: dc.spec.replicas,
      selector: { matchLabels: dc.spec.selector },
      strategy:
        'type' in strategy && strategy.type === 'Recreate'
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template,
    },
  };
  const out: DesiredObject[] = [{ ...entry, object: deployment }];
  if ('type' in strategy && strategy.type === 'Rolling') {
    if (strategy.rollingParams.pre !== undefined) out.unshift(hookJob(dc, template, strategy.rollingParams.pre, 'pre'));
    if (strategy.rollingParams.post !== undefined) out.push(hookJob(dc, template, strategy.rollingParams.post, 'post'));
  }
  return out;
}

/** An HPA built for a DeploymentConfig scales the Deployment of the same name here. */
function scalingDeployment(entry: DesiredObject): DesiredObject {
  const spec = entry.object.spec as { scaleTargetRef: { name: string } };
  const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.scaleTargetRef.name };
  return { ...entry, object: { ...entry.object, spec: { ...spec, scaleTargetRef } } };
}

const OPENSHIFT_KINDS = new Set(['DeploymentConfig', 'Route', 'ImageStream']);

/**
 * OpenShift with Deployments (upstream 2.15+): the DeploymentConfigs become Deployments as on plain Kubernetes,
 * and the system-app hooks become Jobs. Routes stay. The ImageStreams are no longer read, so the ones the operator
 * created are listed for deletion.
 */
export function toOpenShiftDeployments(result: BuildResult, model: ApiManagerModel): BuildResult {
  const objects: DesiredObject[] = [];
  const absent: ObjectRef[] = [...result.absent];
  for (const entry of result.objects) {
    const kind = entry.object.kind;
    if (kind === 'DeploymentConfig') objects.push(...toDeployment(entry as DesiredObject<DeploymentConfig>, model));
    else if (kind === 'HorizontalPodAutoscaler') objects.push(scalingDeployment(entry));
    else if (kind === 'ImageStream') absent.push({ apiVersion: entry.object.apiVersion, kind, name: entry.object.metadata.name });
    else objects.push(entry);
  }
  return { objects, absent, findings: result.findings };
}

export function toKubernetes(result: BuildResult, model: ApiManagerModel): BuildResult {
  const objects: DesiredObject[] = [];
  for (const entry of result.objects) {
    const kind = entry.object.kind;
    if (kind === 'DeploymentConfig') objects.push(...toDeployment(entry as DesiredObject<DeploymentConfig>, model));
    else if (kind === 'HorizontalPodAutoscaler') objects.push(scalingDeployment(entry));
    else if (!OPENSHIFT_KINDS.has(kind)) objects.push(entry);
  }
  objects.push(...defaultIngresses(model));
  const absent: ObjectRef[] = result.absent;
  return { objects, absent, findings: result.findings };
}
