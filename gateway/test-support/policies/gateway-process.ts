/**
 * The real gateway for policy integration tests, on top of the core's
 * process helper (../gateway-process.ts): `node bin/apicast.js` on free
 * loopback ports with a temporary THREESCALE_CONFIG_FILE, plus a one-service
 * configuration builder for policy chains.
 */
import { freePort } from '../../../test/support/ports.js';
import { startGatewayProcess, type GatewayUnderTest } from '../gateway-process.js';

export interface RunningGateway extends GatewayUnderTest {
  /** Set when started with `https: true`. */
  httpsPort: number | undefined;
  logs(): string;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  https?: boolean;
}

export async function startGateway(configuration: unknown, options: GatewayOptions = {}): Promise<RunningGateway> {
  const httpsPort = options.https ? await freePort() : undefined;
  const gateway = await startGatewayProcess({
    config: configuration,
    env: { APICAST_LOG_LEVEL: 'warn', ...(httpsPort ? { APICAST_HTTPS_PORT: String(httpsPort) } : {}), ...options.env },
  });
  return Object.assign(gateway, { httpsPort, logs: () => gateway.process.logs() });
}

/** A one-service configuration on hosts localhost / 127.0.0.1 with the given chain and api_backend. */
export function serviceConfiguration(policyChain: unknown[], apiBackend: string, proxy: Record<string, unknown> = {}): unknown {
  return {
    services: [
      {
        id: 42,
        backend_version: '1',
        proxy: {
          hosts: ['localhost', '127.0.0.1'],
          api_backend: apiBackend,
          proxy_rules: [{ http_method: 'GET', pattern: '/', metric_system_name: 'hits', delta: 1 }],
          policy_chain: policyChain,
          ...proxy,
        },
      },
    ],
  };
}
