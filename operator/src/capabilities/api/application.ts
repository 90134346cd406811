// Application (capabilities.3scale.net/v1beta1): a developer account's subscription to a product's plan.
import { bool, int64, obj, str } from '../../api/schema-parts.js';
import { providerAccountRef, statusWith } from './common.js';

const crRef = (what: string) => obj(`The ${what} CR.`, { name: str(`${what} name.`, { minLength: 1 }) }, { required: ['name'] });

export const APPLICATION_SPEC_SCHEMA = obj(
  'A 3scale application.',
  {
    accountCR: crRef('DeveloperAccount'),
    productCR: crRef('Product'),
    applicationPlanName: str('system_name of a plan of the product.', { minLength: 1 }),
    name: str('Application name.', { minLength: 1 }),
    description: str('Application description.', { minLength: 1 }),
    suspend: bool('Suspend the application.', { default: false }),
    providerAccountRef: providerAccountRef(),
  },
  { required: ['accountCR', 'productCR', 'applicationPlanName', 'name', 'description'] },
);

export const APPLICATION_STATUS_SCHEMA = statusWith({
  id: int64('3scale id of the application.'),
  state: str('3scale state of the application.'),
  accountID: int64('3scale id of the developer account the application belongs to.'),
});
