// DeveloperAccount (capabilities.3scale.net/v1beta1): a developer organisation. 3scale creates an account only
// together with its first admin user (the signup call), so the account is created from the first admin
// DeveloperUser that names it.
import { bool, int64, obj, str } from '../../api/schema-parts.js';
import { providerAccountRef, statusWith } from './common.js';

export const DEVELOPER_ACCOUNT_SPEC_SCHEMA = obj(
  'A 3scale developer account.',
  {
    orgName: str('Organization name.', { minLength: 1 }),
    monthlyBillingEnabled: bool('Monthly billing.', { default: true }),
    monthlyChargingEnabled: bool('Monthly charging.', { default: true }),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['orgName'] },
);

export const DEVELOPER_ACCOUNT_STATUS_SCHEMA = statusWith({
  accountID: int64('3scale id of the account.'),
  accountState: str('3scale state of the account.'),
  creditCardStored: bool('A credit card is on file.'),
});
