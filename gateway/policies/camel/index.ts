/**
 * camel (policies.md §5.5): like http_proxy, but for https upstreams the
 * gateway does TLS with the proxy (SNI = upstream host) and sends an absolute
 * `https://host:port/path` request instead of a CONNECT tunnel. The access
 * phase marks the request so the upstream client takes that path.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { proxySelector } from '../http_proxy/proxy-urls.js';
import type { CamelConfig } from './config.generated.js';

const factory: PolicyFactory<CamelConfig> = (configuration) => {
  const getHttpProxy = proxySelector(configuration);
  return {
    export: () => ({ get_http_proxy: getHttpProxy }),
    access(ctx: PolicyContext): void {
      ctx.shared['skip_https_connect_on_proxy'] = true;
    },
  };
};

export default factory;
