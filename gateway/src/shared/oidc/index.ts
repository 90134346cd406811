export { OidcVerifier, OidcConfigurationError, clientIdOf } from './verifier.js';
export type { VerifyResult } from './verifier.js';
export { jwtClaims } from './claims.js';
export { getJson, OidcFetchError } from './http-json.js';
