// ProxyConfigPromote (capabilities.3scale.net/v1beta1): deploys a product's configuration to staging, and with
// production: true promotes the latest staging version to production.
import { bool, int64, obj, str } from '../../api/schema-parts.js';
import { statusWith } from './common.js';

export const PROXY_CONFIG_PROMOTE_SPEC_SCHEMA = obj(
  'Promotion of a product configuration.',
  {
    productCRName: str('Product CR to promote.', { minLength: 1 }),
    production: bool('Promote to production too.', { default: false }),
    deleteCR: bool('Delete this CR once the promotion is done.', { default: false }),
  },
  { required: ['productCRName'] },
);

export const PROXY_CONFIG_PROMOTE_STATUS_SCHEMA = statusWith({
  productId: int64('3scale id of the product.'),
  latestStagingVersion: int64('Staging version after the promotion.'),
  latestProductionVersion: int64('Production version after the promotion.'),
});
