// Typed builders for the structural OpenAPI v3 schemas of the CRs. Each builder returns the JSON Schema fragment and,
// at compile time only, the TypeScript type of the values it accepts. The CR types in types.ts are derived from the
// schemas with `Infer`, so the CRD, ajv's validation and the code that reads a CR have one source and cannot drift:
// a field added to a schema is a field the compiler knows, and a field read by the code but missing from the schema
// is a compile error.
import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';

export type JsonSchema = Record<string, unknown>;

/** Compile-time marker: never present at run time. */
export declare const valueType: unique symbol;

/** A JSON Schema fragment whose accepted values have the TypeScript type V. */
export type Schema<V> = JsonSchema & { readonly [valueType]?: V };

/** The TypeScript type of the values a schema accepts. */
export type Infer<S> = S extends { readonly [valueType]?: infer V } ? Exclude<V, undefined> : never;

type Flatten<T> = { [K in keyof T]: T[K] } & {};
type Properties = Record<string, Schema<unknown>>;
type ObjectOf<P extends Properties, R extends keyof P> = Flatten<
  { -readonly [K in R]: Infer<P[K]> } & { -readonly [K in Exclude<keyof P, R>]?: Infer<P[K]> }
>;

const typed = <V>(schema: JsonSchema): Schema<V> => schema;

export const str = <const E extends string = string>(description: string, extra: JsonSchema & { enum?: readonly E[] } = {}): Schema<E> =>
  typed({ type: 'string', description, ...extra });
export const bool = (description: string, extra: JsonSchema = {}): Schema<boolean> => typed({ type: 'boolean', description, ...extra });
export const int64 = (description: string, extra: JsonSchema = {}): Schema<number> =>
  typed({ type: 'integer', format: 'int64', description, ...extra });
export const int32 = (description: string, extra: JsonSchema = {}): Schema<number> =>
  typed({ type: 'integer', format: 'int32', description, ...extra });

export const obj = <P extends Properties, const R extends keyof P & string = never>(
  description: string,
  properties: P,
  extra: JsonSchema & { required?: readonly R[] } = {},
): Schema<ObjectOf<P, R>> => typed({ type: 'object', description, properties, ...extra });

export const arr = <S extends Schema<unknown>>(description: string, items: S, extra: JsonSchema = {}): Schema<Infer<S>[]> =>
  typed({ type: 'array', description, items, ...extra });

/** int-or-string (a count or a percentage, as PodDisruptionBudgets take). */
export const intOrString = (description: string): Schema<number | string> =>
  typed({ description, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^[0-9]+%?$', 'x-kubernetes-int-or-string': true });

/** string → string map (labels, annotations, node selectors). */
export const stringMap = (description: string): Schema<Record<string, string>> =>
  typed({ type: 'object', description, additionalProperties: { type: 'string' } });

/** core/v1 Affinity: kept opaque (the API server and the pod validation check it). */
export const affinity = (description: string): Schema<IAffinity> =>
  typed({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });

/** core/v1 TopologySpreadConstraint list: opaque items, checked by the API server's pod validation. */
export const topologySpreadConstraints = (description: string): Schema<ITopologySpreadConstraint[]> =>
  typed({ type: 'array', description, items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });

export const tolerations = (description: string): Schema<IToleration[]> =>
  typed({
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

export const resources = (description: string): Schema<IResourceRequirements> =>
  typed({
    type: 'object',
    description,
    properties: {
      limits: { type: 'object', additionalProperties: quantity },
      requests: { type: 'object', additionalProperties: quantity },
    },
  });

const secretName = str('Name of the Secret in the same namespace.');
export const localObjectReference = (description: string) => obj(description, { name: secretName });
export const requiredObjectReference = (description: string) =>
  obj(description, { name: str('Name of the Secret in the same namespace.', { minLength: 1 }) }, { required: ['name'] });

/** `default: {}` makes the API server create the object so that its children's defaults apply (operator.md §1.2 "{} created"). */
export const created = { default: {} } as const;

export const conditions = arr(
  'Conditions of the resource (Available, Degraded, RedisMigration, ...).',
  obj(
    'One condition.',
    {
      type: str('Condition type.'),
      status: str('Condition status.', { enum: ['True', 'False', 'Unknown'] }),
      reason: str('Machine-readable reason.'),
      message: str('Human-readable message.'),
      lastTransitionTime: str('When status last changed.', { format: 'date-time' }),
      observedGeneration: int64('metadata.generation of the resource this condition was computed from.', { minimum: 0 }),
    },
    { required: ['type', 'status'] },
  ),
);

/** name → value map whose values follow one schema (the capabilities CRs key metrics and plans by system name). */
export const mapOf = <S extends Schema<unknown>>(
  description: string,
  values: S,
  extra: JsonSchema = {},
): Schema<Record<string, Infer<S>>> => typed({ type: 'object', description, additionalProperties: values, ...extra });

/** Free-form JSON kept as written (policy configurations, JSON Schemas). */
export const opaque = (description: string): Schema<Record<string, unknown>> =>
  typed({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });
