// CustomPolicyDefinition (capabilities.3scale.net/v1beta1): a custom policy's schema in the account's policy
// registry, so products can put it in their chains.
import { int64, obj, opaque, str } from '../../api/schema-parts.js';
import { providerAccountRef, statusWith } from './common.js';

export const CUSTOM_POLICY_DEFINITION_SPEC_SCHEMA = obj(
  'A custom policy in the 3scale policy registry.',
  {
    name: str('Policy name.', { pattern: '^[a-zA-Z0-9_.-]+$' }),
    version: str('Policy version.', { minLength: 1 }),
    schema: obj(
      'The policy manifest (apicast-policy.json).',
      {
        name: str('Human name.', { minLength: 1 }),
        version: str('Version (same as spec.version).', { minLength: 1 }),
        summary: str('One-line summary.', { minLength: 1 }),
        description: str('Description.'),
        $schema: str('JSON Schema dialect.'),
        configuration: opaque('JSON Schema of the configuration.'),
      },
      { required: ['name', 'version', 'summary', 'configuration'] },
    ),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['name', 'version', 'schema'] },
);

export const CUSTOM_POLICY_DEFINITION_STATUS_SCHEMA = statusWith({ policyID: int64('3scale id of the registry entry.') });
