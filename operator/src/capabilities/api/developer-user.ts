// DeveloperUser (capabilities.3scale.net/v1beta1): a user of a developer account.
import { bool, int64, obj, str } from '../../api/schema-parts.js';
import { providerAccountRef, statusWith } from './common.js';

export const DEVELOPER_USER_SPEC_SCHEMA = obj(
  'A user of a 3scale developer account.',
  {
    username: str('Login name.', { minLength: 1 }),
    email: str('Email.', { pattern: '^[^@\\s]+@[^@\\s]+$' }),
    passwordCredentialsRef: obj(
      'Secret with the password under key password.',
      {
        name: str('Secret name.', { minLength: 1 }),
        namespace: str('Secret namespace; unset = this namespace.'),
      },
      { required: ['name'] },
    ),
    role: str('Role in the account.', { enum: ['admin', 'member'], default: 'member' }),
    suspended: bool('Suspend the user.', { default: false }),
    developerAccountRef: obj(
      'The DeveloperAccount CR of this user.',
      { name: str('DeveloperAccount name.', { minLength: 1 }) },
      { required: ['name'] },
    ),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['username', 'email', 'passwordCredentialsRef', 'developerAccountRef'] },
);

export const DEVELOPER_USER_STATUS_SCHEMA = statusWith({
  developerUserID: int64('3scale id of the user.'),
  accountID: int64('3scale id of the account.'),
  developerUserState: str('3scale state of the user.'),
});
