// ActiveDoc (capabilities.3scale.net/v1beta1): an OpenAPI document shown on the developer portal.
import { bool, int64, obj, str } from '../../api/schema-parts.js';
import { providerAccountRef, statusWith, systemName } from './common.js';

export const ACTIVE_DOC_SPEC_SCHEMA = obj(
  'A 3scale ActiveDoc.',
  {
    name: str('Name.', { minLength: 1 }),
    systemName: systemName(),
    description: str('Description.'),
    activeDocOpenAPIRef: obj(
      'Where the OpenAPI document is (one of secretRef, url).',
      {
        secretRef: obj(
          'Secret with the document as its only key.',
          { name: str('Secret name.', { minLength: 1 }) },
          { required: ['name'] },
        ),
        url: str('URL of the document (http or https).', { pattern: '^https?://' }),
      },
      { minProperties: 1, maxProperties: 1 },
    ),
    productSystemName: str('system_name of the product the document belongs to.'),
    published: bool('Shown on the developer portal.', { default: false }),
    skipSwaggerValidations: bool('Let 3scale skip validating the document.', { default: false }),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['name', 'activeDocOpenAPIRef'] },
);

export const ACTIVE_DOC_STATUS_SCHEMA = statusWith({ activeDocId: int64('3scale id of the ActiveDoc.') });
