/** Policy manifest `apicast-policy.json` (policies.md §3.1). */
export interface PolicyManifest {
  $schema?: string;
  name: string;
  summary: string;
  description?: string | string[];
  version: string;
  /** JSON Schema (draft-07) of the policy configuration. */
  configuration: Record<string, unknown>;
  order?: {
    before?: { name: string; version: string }[];
    after?: { name: string; version: string }[];
  };
  [field: string]: unknown;
}

/** Schema of the manifest itself: what a policy folder must provide to be loadable. */
export const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['name', 'summary', 'version', 'configuration'],
  properties: {
    name: { type: 'string', minLength: 1 },
    summary: { type: 'string', maxLength: 75 },
    description: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
    },
    version: { type: 'string', pattern: '^((\\d+\\.)?(\\d+\\.)?(\\*|\\d+))$|^builtin$' },
    configuration: { type: 'object' },
    order: {
      type: 'object',
      properties: {
        before: { type: 'array', items: { type: 'object', required: ['name', 'version'] } },
        after: { type: 'array', items: { type: 'object', required: ['name', 'version'] } },
      },
    },
  },
} as const;
