// Backend (capabilities.3scale.net/v1beta1): one 3scale backend API with its metrics, methods and mapping rules.
import { int64, obj, str } from '../../api/schema-parts.js';
import { mappingRules, methods, metrics, providerAccountRef, statusWith, systemName } from './common.js';

export const BACKEND_SPEC_SCHEMA = obj(
  'A 3scale backend: the private API a product routes to.',
  {
    name: str('Name shown in the admin portal.', { minLength: 1 }),
    systemName: systemName(),
    privateBaseURL: str('Base URL of the private API (http or https).', { pattern: '^https?://[^/\\s]+' }),
    description: str('Description.'),
    mappingRules: mappingRules(),
    metrics: metrics(),
    methods: methods(),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['name', 'privateBaseURL'] },
);

export const BACKEND_STATUS_SCHEMA = statusWith({ backendId: int64('3scale id of the backend.') });
