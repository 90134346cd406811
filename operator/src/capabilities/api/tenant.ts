// Tenant (capabilities.3scale.net/v1alpha1): a provider account created through the Master API; its admin
// credentials are written to a Secret the other CRs can use as providerAccountRef.
import { int64, obj, str } from '../../api/schema-parts.js';
import { statusWith } from './common.js';

const secretRef = (description: string) =>
  obj(
    description,
    {
      name: str('Secret name.', { minLength: 1 }),
      namespace: str('Secret namespace.', { minLength: 1 }),
    },
    { required: ['name', 'namespace'] },
  );

export const TENANT_SPEC_SCHEMA = obj(
  'A 3scale tenant (provider account).',
  {
    username: str('Admin user name.', { minLength: 1 }),
    email: str('Admin email.', { pattern: '^[^@\\s]+@[^@\\s]+$' }),
    organizationName: str('Organization name.', { minLength: 1 }),
    systemMasterUrl: str('Master admin portal URL.', { pattern: '^https?://' }),
    passwordCredentialsRef: secretRef('Secret with the admin password under key password.'),
    masterCredentialsRef: secretRef('Secret with the master token under key MASTER_ACCESS_TOKEN.'),
    tenantSecretRef: secretRef('Secret the operator writes with keys adminURL and token of the new tenant.'),
  },
  {
    required: [
      'username',
      'email',
      'organizationName',
      'systemMasterUrl',
      'passwordCredentialsRef',
      'masterCredentialsRef',
      'tenantSecretRef',
    ],
  },
);

export const TENANT_STATUS_SCHEMA = statusWith({
  tenantId: int64('3scale id of the tenant account.'),
  adminId: int64('3scale id of its admin user.'),
});
