/**
 * Per-service certificates on the HTTPS listener (gateway.md §4.0
 * "ssl_certificate", policies.md §5.30 `tls`): at each TLS handshake the
 * SNI name selects the service (by host only: no request exists yet; the
 * lazy loader fetches it first when installed), its chain's
 * `ssl_certificate` phase runs, and a policy that left
 * `ctx.shared.tls_certificate = {cert, key}` replaces the listener's
 * default certificate for this connection. Anything else (no SNI, no
 * service, no such policy, a failure) keeps the default certificate.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import type { PolicyChain } from '../chain/chain.js';
import type { CompiledService } from '../config/compiled.js';
import type { LogSink } from '../portal/log-sink.js';
import { asError } from '../shared/errors.js';

export const TLS_CERTIFICATE_KEY = 'tls_certificate';

export interface SniDeps {
  findByHost(host: string): readonly CompiledService[];
  /** The lazy loader, when the configuration is loaded per host. */
  ensureHost?: ((host: string) => Promise<void>) | undefined;
  log: LogSink;
}

/**
 * What a policy sees in ssl_certificate: the host (SNI), the service and
 * `shared`. Only these exist before a request does, as in the original.
 */
export interface HandshakeContext {
  host: string;
  service: CompiledService | undefined;
  shared: Record<string, unknown>;
  log: LogSink;
}

type SniCallback = (servername: string, callback: (error: Error | null, context?: SecureContext) => void) => void;

export function sniCallback(deps: SniDeps): SniCallback {
  const contexts = new Map<string, SecureContext>();
  const select = async (servername: string): Promise<SecureContext | undefined> => {
    const host = servername.toLowerCase();
    await deps.ensureHost?.(host);
    const service = deps.findByHost(host).at(0);
    if (!service) return undefined;
    const ctx: HandshakeContext = { host, service, shared: {}, log: deps.log };
    const chain: PolicyChain = service.chain;
    await chain.run('ssl_certificate', ctx);
    const material = ctx.shared[TLS_CERTIFICATE_KEY] as { cert: string; key: string } | undefined;
    if (!material) return undefined;
    const cacheKey = `${material.cert}\n${material.key}`;
    let context = contexts.get(cacheKey);
    if (!context) {
      context = createSecureContext({ cert: material.cert, key: material.key });
      contexts.set(cacheKey, context);
      if (contexts.size > 1000) contexts.delete(contexts.keys().next().value as string);
    }
    return context;
  };
  return (servername, callback) => {
    select(servername).then(
      (context) => {
        callback(null, context);
      },
      (error: unknown) => {
        deps.log.warn(`ssl_certificate for ${servername} failed, using the default certificate: ${asError(error).message}`);
        callback(null, undefined);
      },
    );
  };
}
