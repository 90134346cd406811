// ApplicationAuth (capabilities.3scale.net/v1beta1): sets an application's credentials from a Secret (UserKey, or
// ApplicationKey), or generates them into it.
import { bool, obj, str } from '../../api/schema-parts.js';
import { providerAccountRef, statusWith } from './common.js';

export const APPLICATION_AUTH_SPEC_SCHEMA = obj(
  "An application's credentials.",
  {
    applicationCRName: str('Application CR whose credentials these are.', { minLength: 1 }),
    authSecretRef: obj(
      'Secret with key UserKey (user-key products) or ApplicationKey (app-id products).',
      {
        name: str('Secret name.', { minLength: 1 }),
      },
      { required: ['name'] },
    ),
    generateSecret: bool('Generate missing keys into the Secret (created if absent).', { default: false }),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['applicationCRName', 'authSecretRef'] },
);

export const APPLICATION_AUTH_STATUS_SCHEMA = statusWith({});
