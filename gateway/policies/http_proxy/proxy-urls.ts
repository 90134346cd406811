/**
 * Forward-proxy selection shared by http_proxy and camel (policies.md §5.14,
 * §5.5): a protocol-specific URL, else `all_proxy`. Only `http://` proxies
 * can be used, so anything else is refused at load with the field named.
 * `user:password@` in the URL is sent to the proxy as Basic
 * Proxy-Authorization (proxy-route.ts).
 */
import { PolicyConfigurationError } from '../../src/chain/policy.js';
import type { HttpProxyConfig } from './config.generated.js';

/** The proxy fields of http_proxy's manifest, which camel's repeats. */
export type ProxyConfiguration = Pick<HttpProxyConfig, 'all_proxy' | 'http_proxy' | 'https_proxy'>;

/** Export `get_http_proxy`: proxy URL for an upstream scheme, or undefined (direct). */
export type GetHttpProxy = (upstream: { scheme: string }) => string | undefined;

function checkedProxyUrl(configuration: ProxyConfiguration, field: keyof ProxyConfiguration): string | undefined {
  const value = configuration[field];
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PolicyConfigurationError(field, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'http:') throw new PolicyConfigurationError(field, `only http:// proxies are supported, got ${url.protocol}`);
  return value;
}

export function proxySelector(configuration: ProxyConfiguration): GetHttpProxy {
  const all = checkedProxyUrl(configuration, 'all_proxy');
  const http = checkedProxyUrl(configuration, 'http_proxy') ?? all;
  const https = checkedProxyUrl(configuration, 'https_proxy') ?? all;
  return (upstream) => (upstream.scheme === 'https' ? https : upstream.scheme === 'http' ? http : all);
}
