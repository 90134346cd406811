/**
 * RFC 7523 client authentication for the introspection call (APIcast 3.14): instead of Basic credentials the
 * gateway sends a short-lived JWT it signs itself. `client_secret_jwt` signs with the client secret (HS256),
 * `private_key_jwt` with a private key (RS256 for RSA keys, ES256/384/512 for EC keys by curve). The key is read
 * once, when the policy is built; each call gets a new assertion (fresh jti and exp).
 */
import { randomUUID, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';
import { PolicyConfigurationError } from '../../src/chain/policy.js';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface AssertionSettings {
  clientId: string;
  audience: string;
  expiresIn: number;
}
export type AssertionSigner = () => Promise<string>;

const EC_ALGORITHMS: Record<string, string> = {
  prime256v1: 'ES256',
  'P-256': 'ES256',
  secp384r1: 'ES384',
  'P-384': 'ES384',
  secp521r1: 'ES512',
  'P-521': 'ES512',
};

function algorithmOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const alg = EC_ALGORITHMS[curve];
    if (alg) return alg;
    throw new PolicyConfigurationError('certificate', `EC curve ${curve || 'unknown'} is not one of P-256, P-384, P-521`);
  }
  throw new PolicyConfigurationError(
    'certificate',
    `a ${key.asymmetricKeyType ?? 'unknown'} key cannot sign a client assertion (RSA or EC expected)`,
  );
}

/** `embedded`: a data URL (`data:…;base64,<PEM>`); `path`: a PEM file. Never logs the key. */
export function loadPrivateKey(certificateType: string, certificate: string): KeyObject {
  let pem: string;
  if (certificateType === 'embedded') {
    const match = /^data:[^,]*;base64,(.*)$/s.exec(certificate);
    if (!match) throw new PolicyConfigurationError('certificate', 'embedded certificate must be a base64 data URL');
    pem = Buffer.from(match[1], 'base64').toString('utf8');
  } else {
    try {
      pem = readFileSync(certificate, 'utf8');
    } catch (error) {
      throw new PolicyConfigurationError('certificate', `cannot read ${certificate}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  try {
    return createPrivateKey(pem);
  } catch {
    throw new PolicyConfigurationError('certificate', 'no PEM private key found');
  }
}

function signer(settings: AssertionSettings, alg: string, key: KeyObject | Uint8Array): AssertionSigner {
  return () => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setIssuer(settings.clientId)
      .setSubject(settings.clientId)
      .setAudience(settings.audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + settings.expiresIn)
      .sign(key);
  };
}

export function clientSecretSigner(settings: AssertionSettings, clientSecret: string): AssertionSigner {
  return signer(settings, 'HS256', new TextEncoder().encode(clientSecret));
}

export function privateKeySigner(settings: AssertionSettings, key: KeyObject): AssertionSigner {
  return signer(settings, algorithmOf(key), key);
}
