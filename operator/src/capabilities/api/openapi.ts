// OpenAPI (capabilities.3scale.net/v1beta1): a Product and a Backend CR generated from an OpenAPI 3 document.
import { arr, bool, obj, str } from '../../api/schema-parts.js';
import { providerAccountRef, statusWith, systemName } from './common.js';

export const OPENAPI_SPEC_SCHEMA = obj(
  'Products and backends from an OpenAPI document.',
  {
    openapiRef: obj(
      'Where the document is (one of configMapRef, url).',
      {
        configMapRef: obj(
          'ConfigMap with the document as its only key.',
          { name: str('ConfigMap name.', { minLength: 1 }) },
          { required: ['name'] },
        ),
        url: str('URL of the document.', { pattern: '^https?://' }),
      },
      { minProperties: 1, maxProperties: 1 },
    ),
    productSystemName: systemName(),
    privateBaseURL: str('Backend URL; unset = the first servers[].url of the document.', { pattern: '^https?://' }),
    productionPublicBaseURL: str('Public URL of the production gateway.', { pattern: '^https?://' }),
    stagingPublicBaseURL: str('Public URL of the staging gateway.', { pattern: '^https?://' }),
    prefixMatching: bool('Mapping rules match path prefixes (no trailing $).', { default: false }),
    privateAPIHostHeader: str('Host header sent to the backend.'),
    privateAPISecretToken: str('Secret token sent to the backend.'),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['openapiRef'] },
);

export const OPENAPI_STATUS_SCHEMA = statusWith({
  productResourceName: obj('The generated Product CR.', { name: str('Name.') }),
  backendResourceNames: arr('The generated Backend CRs.', obj('One Backend.', { name: str('Name.') })),
});
