/**
 * OpenShift object types (DeploymentConfig, Route, ImageStream, Template) and
 * their validators. Types and schemas are generated from the stand-in CRDs of
 * the test cluster (test/cluster/crds), so what the operator builds, what these
 * validators accept and what the test cluster's API server accepts agree.
 *
 * The validators behave like the API server's schema check: defaults are
 * applied first (on a copy; the caller's object is untouched), then the schema
 * is checked. CEL rules (x-kubernetes-validations) are not evaluated here; the
 * test cluster evaluates them. A DeploymentConfig's pod template, which the
 * stand-in CRD keeps unchecked, is checked with kubernetes-models' core/v1
 * schema, as real OpenShift checks it.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { openshiftKinds, openshiftSchemas, type OpenShiftKind } from './generated.js';

export * from './generated.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // Kubernetes markers: annotations for ajv except the two that constrain values.
  ajv.addVocabulary([
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-validations',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
  ]);
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: unknown) =>
      !enabled || typeof data === 'string' || (typeof data === 'number' && Number.isInteger(data)),
    error: { message: 'must be an integer or a string' },
  });
  ajv.addKeyword({
    keyword: 'x-kubernetes-embedded-resource',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: unknown) =>
      !enabled ||
      (typeof data === 'object' &&
        data !== null &&
        typeof (data as Record<string, unknown>).apiVersion === 'string' &&
        typeof (data as Record<string, unknown>).kind === 'string'),
    error: { message: 'must be a Kubernetes object with apiVersion and kind' },
  });
  return ajv;
}

const ajv = createAjv();
const compiled = new Map<OpenShiftKind, ValidateFunction>();

function validatorFor(kind: OpenShiftKind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    validate = ajv.compile(rejectUnknownFields(openshiftSchemas[kind]));
    compiled.set(kind, validate);
  }
  return validate;
}

/**
 * The API server prunes unknown fields; with `fieldValidation=Strict` (what
 * `kubectl apply --validate=strict` asks for) it rejects them. Validators are
 * meant to catch typos in what we generate, so they behave like Strict: every
 * object schema that lists its properties and does not preserve unknown fields
 * gets `additionalProperties: false`.
 */
function rejectUnknownFields(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  if (isRecord(copy.properties)) {
    copy.properties = Object.fromEntries(Object.entries(copy.properties).map(([k, v]) => [k, rejectUnknownFields(v)]));
    if (copy['x-kubernetes-preserve-unknown-fields'] !== true && copy.additionalProperties === undefined) {
      copy.additionalProperties = false;
    }
  }
  if (isRecord(copy.items)) copy.items = rejectUnknownFields(copy.items);
  if (isRecord(copy.additionalProperties)) copy.additionalProperties = rejectUnknownFields(copy.additionalProperties);
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: ErrorObject, prefix = ''): string {
  const path = error.instancePath.slice(1).replace(/\//g, '.');
  const where = [prefix, path].filter(Boolean).join('.') || '(root)';
  const params = error.params as Record<string, unknown>;
  // Messages are built from params where they matter, so ajv-i18n (used by kubernetes-models) cannot reword them.
  if (error.keyword === 'required') return `${where}: must have required property '${String(params.missingProperty)}'`;
  if (error.keyword === 'additionalProperties') return `${where}: unknown field "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${where}: ${error.message} (${(params.allowedValues as unknown[]).map(String).join(', ')})`;
  return `${where}: ${error.message ?? error.keyword}`;
}

/** Checks `obj` as the API server would check an object of `kind`; returns readable errors (empty = valid). */
export function validateOpenShiftObject(kind: OpenShiftKind, obj: unknown): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return ['(root): must be an object'];
  const errors: string[] = [];
  const info = openshiftKinds[kind];
  const record = obj as Record<string, unknown>;
  const apiVersion = `${info.group}/${info.version}`;
  if (record.apiVersion !== apiVersion) errors.push(`apiVersion: must be "${apiVersion}", got ${JSON.stringify(record.apiVersion)}`);
  if (record.kind !== kind) errors.push(`kind: must be "${kind}", got ${JSON.stringify(record.kind)}`);
  const validate = validatorFor(kind);
  // useDefaults writes into the data: validate a copy so the caller's object keeps its shape.
  if (!validate(structuredClone(obj))) errors.push(...(validate.errors ?? []).map((e) => describe(e)));
  return errors;
}

/** Errors of `spec.template` against the core/v1 PodTemplateSpec schema. */
function podTemplateErrors(obj: unknown): string[] {
  const template = isRecord(obj) && isRecord(obj.spec) ? obj.spec.template : undefined;
  if (!isRecord(template)) return [];
  try {
    new PodTemplateSpec(structuredClone(template)).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors;
    return errors ? errors.map((e) => describe(e, 'spec.template')) : [`spec.template: ${(error as Error).message}`];
  }
}

export const validateDeploymentConfig = (obj: unknown): string[] => [
  ...validateOpenShiftObject('DeploymentConfig', obj),
  ...podTemplateErrors(obj),
];
export const validateRoute = (obj: unknown): string[] => validateOpenShiftObject('Route', obj);
export const validateImageStream = (obj: unknown): string[] => validateOpenShiftObject('ImageStream', obj);
export const validateTemplate = (obj: unknown): string[] => validateOpenShiftObject('Template', obj);
