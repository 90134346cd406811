/**
 * http_proxy (policies.md §5.14): no phase, only the `get_http_proxy` export.
 * The upstream client sends this service's upstream traffic through the
 * returned proxy (http: absolute URI; https: CONNECT tunnel), overriding the
 * HTTP(S)_PROXY / ALL_PROXY environment and ignoring NO_PROXY.
 */
import type { Policy } from '../../src/chain/policy.js';
import { proxySelector, type ProxyConfiguration } from './proxy-urls.js';

export default function httpProxy(configuration: Record<string, unknown>): Policy {
  const getHttpProxy = proxySelector(configuration as ProxyConfiguration);
  return { export: () => ({ get_http_proxy: getHttpProxy }) };
}
