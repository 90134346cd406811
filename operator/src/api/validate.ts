// Validates a CR document against the same schema the CRD serves. Unknown fields are rejected here (the API
// server would silently prune them; render names them so that typos are seen).
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../model/types.js';
import type { JsonSchema } from './schema-parts.js';
import { APIMANAGER_SPEC_SCHEMA } from './apimanager-schema.js';
import { APICAST_SPEC_SCHEMA } from './apicast-schema.js';
import { GROUP_VERSION } from './types.js';

/** Closes every object schema that declares properties (and does not preserve unknown fields). */
export function closeSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'default' || k === 'enum' ? v : closeSchema(v);
  if ('properties' in out && !('x-kubernetes-preserve-unknown-fields' in out) && !('additionalProperties' in out))
    out.additionalProperties = false;
  return out;
}

function documentSchema(kind: string, spec: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { const: GROUP_VERSION },
      kind: { const: kind },
      metadata: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 } },
      },
      spec: closeSchema(spec),
      status: {},
    },
  };
}

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, useDefaults: false });
addFormats(ajv);
ajv.addKeyword({ keyword: 'x-kubernetes-preserve-unknown-fields' });
ajv.addKeyword({ keyword: 'x-kubernetes-int-or-string' });

const validators = {
  APIManager: ajv.compile(documentSchema('APIManager', APIMANAGER_SPEC_SCHEMA)),
  APIcast: ajv.compile(documentSchema('APIcast', APICAST_SPEC_SCHEMA)),
};

export type CrKind = keyof typeof validators;

function toPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc === '' ? part : `${acc}.${part}`), '');
}

function toFieldError(e: ErrorObject): FieldError {
  const base = toPath(e.instancePath);
  const join = (child: string) => (base === '' ? child : `${base}.${child}`);
  switch (e.keyword) {
    case 'required':
      return { path: join(String(e.params.missingProperty)), reason: 'required field is missing' };
    case 'additionalProperties':
      return { path: join(String(e.params.additionalProperty)), reason: 'unknown field' };
    case 'enum':
      return { path: base, reason: `must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'anyOf':
      if (base === 'spec')
        return {
          path: 'spec.adminPortalCredentialsRef',
          reason: 'one of adminPortalCredentialsRef and embeddedConfigurationSecretRef is required',
        };
      return { path: base, reason: e.message ?? 'invalid' };
    default:
      return { path: base === '' ? '(document)' : base, reason: e.message ?? 'invalid' };
  }
}

export function validateCr(kind: CrKind, document: unknown): FieldError[] {
  const validate = validators[kind];
  if (validate(document)) return [];
  const errors = (validate.errors ?? [])
    // anyOf branches report their own `required` errors; the anyOf summary says it better.
    .filter((e) => !(e.keyword === 'required' && e.schemaPath.includes('/anyOf/')))
    .map(toFieldError);
  const seen = new Set<string>();
  return errors.filter((e) => {
    const id = `${e.path}\u0000${e.reason}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
