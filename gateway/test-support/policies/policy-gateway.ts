/**
 * Integration fixture for policy tests: the real gateway (`node bin/apicast.js`)
 * with one service per host, each with its own policy chain, in front of a
 * real loopback upstream (and the fake 3scale backend when apicast is used).
 */
import { startGatewayProcess, type GatewayUnderTest } from '../gateway-process.js';
import { TestUpstream } from '../upstream.js';
import { send, type TestRequestOptions, type TestResponse } from '../http-client.js';

export interface PolicyServiceSpec {
  id: number;
  host: string;
  chain: { name: string; version?: string; configuration?: Record<string, unknown> }[];
  /** Default: the test upstream. */
  apiBackend?: string;
  backendVersion?: '1' | '2' | 'oauth';
  /** Extra proxy fields (credentials_location, error settings, backend endpoint…). */
  proxy?: Record<string, unknown>;
  /** Mapping rules; default: GET/POST/PUT/DELETE / → hits 1. */
  rules?: { http_method: string; pattern: string; metric_system_name: string; delta: number }[];
}

export interface PolicyGateway {
  gateway: GatewayUnderTest;
  upstream: TestUpstream;
  request(host: string, path: string, options?: TestRequestOptions): Promise<TestResponse>;
  stop(): Promise<void>;
}

const DEFAULT_RULES = ['GET', 'POST', 'PUT', 'DELETE'].map((m) => ({ http_method: m, pattern: '/', metric_system_name: 'hits', delta: 1 }));

export function serviceJson(spec: PolicyServiceSpec, upstreamUrl: string, backendUrl?: string): Record<string, unknown> {
  return {
    id: spec.id,
    backend_version: spec.backendVersion ?? '1',
    backend_authentication_type: 'service_token',
    backend_authentication_value: `token-${spec.id}`,
    proxy: {
      hosts: [spec.host],
      api_backend: spec.apiBackend ?? upstreamUrl,
      credentials_location: 'query',
      auth_user_key: 'user_key',
      proxy_rules: spec.rules ?? DEFAULT_RULES,
      policy_chain: spec.chain,
      ...(backendUrl ? { backend: { endpoint: backendUrl, host: '127.0.0.1' } } : {}),
      ...spec.proxy,
    },
  };
}

export async function startPolicyGateway(
  services: PolicyServiceSpec[],
  options: { env?: Record<string, string>; backendUrl?: string } = {},
): Promise<PolicyGateway> {
  const upstream = await TestUpstream.start();
  let gateway: GatewayUnderTest;
  try {
    gateway = await startGatewayProcess({
      config: { services: services.map((s) => serviceJson(s, upstream.url, options.backendUrl)) },
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (err) {
    await upstream.stop();
    throw err;
  }
  return {
    gateway,
    upstream,
    request: (host, path, requestOptions = {}) => send(gateway.url, path, { ...requestOptions, host }),
    async stop() {
      await gateway.stop();
      await upstream.stop();
    },
  };
}
