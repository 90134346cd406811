/**
 * camel (policies.md §5.5): like http_proxy, but for https upstreams the
 * gateway does TLS with the proxy (SNI = upstream host) and sends an absolute
 * `https://host:port/path` request instead of a CONNECT tunnel. The access
 * phase marks the request so the upstream client takes that path.
 */
import type { Policy, PolicyContext } from '../../src/chain/policy.js';
import { proxySelector, type ProxyConfiguration } from '../http_proxy/proxy-urls.js';

export default function camel(configuration: Record<string, unknown>): Policy {
  const getHttpProxy = proxySelector(configuration as ProxyConfiguration);
  return {
    export: () => ({ get_http_proxy: getHttpProxy }),
    access(ctx: PolicyContext): void {
      ctx.shared['skip_https_connect_on_proxy'] = true;
    },
  };
}
