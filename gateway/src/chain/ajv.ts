/**
 * The one JSON Schema validator of the gateway (ajv, draft-07 like the policy
 * manifests). Strict mode stays on; the `data-url` format the TLS policies'
 * manifests use is registered here because ajv-formats lacks it.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** RFC 2397: `data:[<mediatype>][;base64],<data>`. */
export const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+(;[a-z0-9-]+=[^;,]+)*)?(;base64)?,[\s\S]*$/i;

/**
 * `trusted`: for the gateway's own schemas (the configuration schema, the
 * builtin manifests), which a test checks against the draft-07 meta-schema
 * (ajv.test.ts); skipping that check at run time spares compiling the
 * meta-schema at every boot. Custom policies' schemas are always checked.
 */
export function createAjv(options: { trusted?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    ...(options.trusted ? { validateSchema: false } : {}),
  });
  addFormats(ajv);
  ajv.addFormat('data-url', DATA_URL);
  return ajv;
}

/** `configuration/rules/0/op: must be equal to one of the allowed values (get, set)` — field first, then reason. */
export function describeErrors(errors: ErrorObject[] | null | undefined, root: string): string {
  if (!errors || errors.length === 0) return `${root}: invalid`;
  return errors
    .slice(0, 5)
    .map((e) => {
      const field = `${root}${e.instancePath}`;
      const missing = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
      const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
      return `${field}${missing}: ${e.message ?? 'invalid'}${allowed}`;
    })
    .join('; ');
}
