/**
 * http_proxy (policies.md §5.14): no phase, only the `get_http_proxy` export.
 * The upstream client sends this service's upstream traffic through the
 * returned proxy (http: absolute URI; https: CONNECT tunnel), overriding the
 * HTTP(S)_PROXY / ALL_PROXY environment and ignoring NO_PROXY.
 */
import type { PolicyFactory } from '../../src/chain/policy.js';
import type { HttpProxyConfig } from './config.generated.js';
import { proxySelector } from './proxy-urls.js';

const factory: PolicyFactory<HttpProxyConfig> = (configuration) => {
  const getHttpProxy = proxySelector(configuration);
  return { export: () => ({ get_http_proxy: getHttpProxy }) };
};

export default factory;
