// Schema fragments shared by every workload of the APIManager CR: scheduling knobs (2.9: affinity, tolerations;
// 2.12+: priorityClassName, topologySpreadConstraints, labels, annotations), replicas and PVC settings.
import {
  type Schema,
  affinity,
  bool,
  created,
  int64,
  obj,
  resources,
  str,
  stringMap,
  tolerations,
  topologySpreadConstraints,
} from './schema-parts.js';

export const schedulingFields = () => ({
  affinity: affinity('Pod affinity (reconciled).'),
  tolerations: tolerations('Pod tolerations (reconciled).'),
  priorityClassName: str('Pod priorityClassName (reconciled).'),
  topologySpreadConstraints: topologySpreadConstraints('Pod topologySpreadConstraints (reconciled).'),
  labels: stringMap('Extra pod labels, merged over the generated ones (reconciled per key).'),
  annotations: stringMap('Extra pod annotations (reconciled per key).'),
  resources: resources('Container resources; replace the defaults whatever resourceRequirementsEnabled says (reconciled).'),
});

type SchedulingFields = ReturnType<typeof schedulingFields>;
type Prefixed<P extends string> = { [K in keyof SchedulingFields as `${P}${Capitalize<K & string>}`]: SchedulingFields[K] };

/** The same knobs for a component that has no spec object of its own: `redisAffinity`, `redisLabels`, ... */
export function prefixedSchedulingFields<P extends string>(prefix: P): Prefixed<P> {
  const fields: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(schedulingFields())) fields[`${prefix}${key[0].toUpperCase()}${key.slice(1)}`] = schema;
  return fields as Prefixed<P>;
}

type Extra = Record<string, Schema<unknown>>;
/** A workload without extra fields: the empty object type is what is meant. */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- `{}` is intended: no fields beyond the common ones
type NoExtra = Record<never, never>;
const replicas = (replicasDefault: number) =>
  int64('Number of replicas (reconciled unless hpa).', { default: replicasDefault, minimum: 0 });

/** A workload with replicas; `extra` adds component-specific fields (the gateways' own settings). */
export const replicated = <E extends Extra = NoExtra>(description: string, replicasDefault: number, extra?: E) =>
  obj(description, { replicas: replicas(replicasDefault), ...schedulingFields(), ...(extra as E) }, created);

/** Workloads upstream lets a HorizontalPodAutoscaler scale (apicast-production, backend-listener, backend-worker). */
export const autoscaled = <E extends Extra = NoExtra>(description: string, replicasDefault: number, extra?: E) =>
  obj(
    description,
    {
      replicas: replicas(replicasDefault),
      hpa: bool('Create an autoscaling/v2 HorizontalPodAutoscaler (1–5 replicas, 90% CPU and memory); it then owns replicas.'),
      ...schedulingFields(),
      ...(extra as E),
    },
    created,
  );

export const pvc = (description: string) =>
  obj(description, {
    storageClassName: str('Storage class of the PersistentVolumeClaim; unset = cluster default.'),
    volumeName: str('Binds the claim to this existing PersistentVolume (set at creation only).'),
    resources: obj('Storage request of the claim (set at creation; growing it needs a resizable storage class).', {
      requests: str('Storage size, e.g. 10Gi.', { pattern: '^[0-9]+(\\.[0-9]+)?([KMGTPE]i?)?$' }),
    }),
  });
