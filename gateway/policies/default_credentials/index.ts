/**
 * default_credentials — "Anonymous Access" (policies.md §5.10): when the
 * client supplied no credentials, apicast uses the configured ones. Like the
 * original, `auth_type` is not consulted at request time: what is filled
 * depends on the service's backend_version.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { DefaultCredentialsConfig } from './config.generated.js';
import { isSupplied } from './supplied.js';

const factory: PolicyFactory<DefaultCredentialsConfig> = (configuration) => {
  const { user_key: userKey, app_id: appId, app_key: appKey } = configuration;
  return {
    async rewrite(ctx: PolicyContext) {
      const service = ctx.service;
      if (!service) return;
      if (service.backendVersion === '1') {
        if (userKey === undefined) return;
        if (!(await isSupplied(ctx.request, service, 'userKey'))) ctx.extractedCredentials = { kind: 'user_key', user_key: userKey };
      } else if (service.backendVersion === '2') {
        if (appId === undefined || appKey === undefined) return;
        const any = (await isSupplied(ctx.request, service, 'appId')) || (await isSupplied(ctx.request, service, 'appKey'));
        if (!any) ctx.extractedCredentials = { kind: 'app_id', app_id: appId, app_key: appKey };
      } else {
        ctx.log.error({ backend_version: service.backendVersion }, 'default_credentials: unsupported backend_version, policy does nothing');
      }
    },
  };
};

export default factory;
