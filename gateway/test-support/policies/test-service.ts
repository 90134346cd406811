/**
 * A CompiledService for unit tests of policies that read service settings.
 * Only the fields policies use are meaningful; the rest are safe defaults.
 */
import type { CompiledService, ErrorResponse } from '../../src/config/compiled.js';
import { EMPTY_CHAIN } from '../../src/chain/chain.js';
import { parseUpstream } from '../../src/upstream/upstream.js';

const error = (status: number, body: string): ErrorResponse => ({ status, body, contentType: 'text/plain; charset=us-ascii' });

export function testService(overrides: Partial<CompiledService> & { apiBackendUrl?: string } = {}): CompiledService {
  const { apiBackendUrl, ...rest } = overrides;
  return {
    id: '42',
    systemName: 'api',
    raw: { id: 42 },
    hosts: ['localhost'],
    backendVersion: '1',
    authenticationMethod: '1',
    backend: { endpoint: 'http://127.0.0.1:1', host: '127.0.0.1', authentication: { type: 'service_token', value: 'st' } },
    credentials: { location: 'query', userKey: 'user_key', appId: 'app_id', appKey: 'app_key' },
    errors: {
      authMissing: error(401, 'Authentication parameters missing'),
      authFailed: error(403, 'Authentication failed'),
      limitsExceeded: error(429, 'Limits exceeded'),
      noMatch: error(404, 'No Mapping Rule matched'),
    },
    secretToken: undefined,
    hostnameRewrite: undefined,
    oauthLoginUrl: undefined,
    jwtClaimWithClientId: { value: 'azp', type: 'plain' },
    apiBackend: parseUpstream(apiBackendUrl ?? 'http://127.0.0.1:8081'),
    rules: [],
    oidc: undefined,
    chain: EMPTY_CHAIN,
    ttl: undefined,
    ...rest,
  };
}
