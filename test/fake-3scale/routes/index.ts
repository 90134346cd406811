/** Every admin API route family, in the order they must be tried (fixed paths before `:id` ones). */
import type { AdminContext, RequestContext } from '../router.js';
import { Router } from '../router.js';
import { addAccountRoutes } from './accounts.js';
import { addActiveDocRoutes } from './active-docs.js';
import { addApplicationRoutes } from './applications.js';
import { addBackendUsageRoutes } from './backend-usages.js';
import { addBackendRoutes } from './backends.js';
import { addKeyRoutes } from './keys.js';
import { addLimitRoutes } from './limits.js';
import { addMasterAccountUserRoutes, addMasterRoutes } from './master-providers.js';
import { addPlanRoutes } from './plans.js';
import { addPolicyRoutes } from './policies.js';
import { addPricingRuleRoutes } from './pricing-rules.js';
import { addProxyConfigRoutes } from './proxy-configs.js';
import { addProxyRoutes } from './proxy.js';
import { addRegistryPolicyRoutes } from './registry-policies.js';
import { addServiceRoutes } from './services.js';
import { addUserRoutes } from './users.js';

export function adminRouter(): Router<AdminContext> {
  const router = new Router<AdminContext>();
  addProxyConfigRoutes(router); // `/services/proxy/configs/...` before `/services/:id/...`
  addBackendRoutes(router);
  addServiceRoutes(router);
  addBackendUsageRoutes(router);
  addProxyRoutes(router);
  addPolicyRoutes(router);
  addPlanRoutes(router);
  addLimitRoutes(router);
  addPricingRuleRoutes(router);
  addAccountRoutes(router);
  addUserRoutes(router);
  addKeyRoutes(router);
  addApplicationRoutes(router);
  addActiveDocRoutes(router);
  addRegistryPolicyRoutes(router);
  return router;
}

export function masterRouter(): Router<RequestContext> {
  const router = new Router<RequestContext>();
  addMasterRoutes(router);
  return router;
}

/** What the master token reaches under /admin/api: the tenants' admin users. */
export function masterAdminRouter(): Router<RequestContext> {
  const router = new Router<RequestContext>();
  addMasterAccountUserRoutes(router);
  return router;
}
