/**
 * Where jwt_parser's verifier comes from: configured keys, or discovery at
 * the issuer. Tried at construction (like the original) and, after a
 * failure, again on a later request at most every 5 s, so an issuer that is
 * down when the configuration loads neither blocks nor breaks it for good.
 */
import type { Logger } from 'pino';
import { OidcVerifier } from '../../src/shared/oidc/index.js';

const RETRY_MS = 5000;

export type OidcEntry = Parameters<typeof OidcVerifier.fromEntry>[0];

export function verifierSource(
  source: { issuerEndpoint: string } | { entry: OidcEntry },
  log: Logger,
): () => Promise<OidcVerifier | undefined> {
  let verifier: OidcVerifier | undefined;
  let lastAttempt: number | undefined;
  return async () => {
    if (verifier) return verifier;
    if (lastAttempt !== undefined && Date.now() - lastAttempt < RETRY_MS) return undefined;
    lastAttempt = Date.now();
    try {
      verifier =
        'entry' in source ? await OidcVerifier.fromEntry(source.entry) : (await OidcVerifier.discover(source.issuerEndpoint)).verifier;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'jwt_parser: OIDC keys not available; tokens are refused until they are');
    }
    return verifier;
  };
}
