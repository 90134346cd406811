// Reusable structural OpenAPI v3 fragments (core/v1 types the CRs embed).
export type JsonSchema = Record<string, unknown>;

export const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
export const bool = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'boolean', description, ...extra });
export const int64 = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', format: 'int64', description, ...extra });
export const int32 = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', format: 'int32', description, ...extra });
export const obj = (description: string, properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({ type: 'object', description, properties, ...extra });

/** core/v1 Affinity: kept opaque (the API server and the pod validation check it). */
export const affinity = (description: string): JsonSchema => ({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });

export const tolerations = (description: string): JsonSchema => ({
  type: 'array',
  description,
  items: {
    type: 'object',
    properties: {
      effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''] },
      key: { type: 'string' },
      operator: { type: 'string', enum: ['Exists', 'Equal', ''] },
      tolerationSeconds: { type: 'integer', format: 'int64' },
      value: { type: 'string' },
    },
  },
});

const quantity: JsonSchema = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
  'x-kubernetes-int-or-string': true,
};

export const resources = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: {
    limits: { type: 'object', additionalProperties: quantity },
    requests: { type: 'object', additionalProperties: quantity },
  },
});

export const localObjectReference = (description: string, required = false): JsonSchema => ({
  type: 'object',
  description,
  properties: { name: { type: 'string', description: 'Name of the Secret in the same namespace.' } },
  ...(required ? { required: ['name'] } : {}),
});

export const pvc = (description: string): JsonSchema =>
  obj(description, { storageClassName: str('Storage class of the PersistentVolumeClaim; unset = cluster default.') });

/** `default: {}` makes the API server create the object so that its children's defaults apply (operator.md §1.2 "{} created"). */
export const created = { default: {} } as const;

export const replicated = (description: string, replicasDefault: number): JsonSchema =>
  obj(description, {
    replicas: int64('Number of replicas (reconciled).', { default: replicasDefault, minimum: 0 }),
    affinity: affinity('Pod affinity (reconciled).'),
    tolerations: tolerations('Pod tolerations (reconciled).'),
  }, created);

export const conditions: JsonSchema = {
  type: 'array',
  description: 'Conditions of the resource (Available, Degraded, RedisMigration, ...).',
  items: {
    type: 'object',
    required: ['type', 'status'],
    properties: {
      type: { type: 'string' },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      reason: { type: 'string' },
      message: { type: 'string' },
      lastTransitionTime: { type: 'string', format: 'date-time' },
      observedGeneration: { type: 'integer', format: 'int64', minimum: 0, description: 'metadata.generation of the resource this condition was computed from.' },
    },
  },
};
