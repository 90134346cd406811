/**
 * Certificates and keys given as file paths or data URLs
 * (`data:application/pkix-cert;name=x.crt;base64,…`), as the TLS policies'
 * configurations carry them. DER content is turned into PEM so node:tls
 * accepts either.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';

export class CertificateSourceError extends Error {}

/** Decodes an RFC 2397 data URL to its bytes. */
export function decodeDataUrl(url: string): Buffer {
  const match = /^data:([^,]*),([\s\S]*)$/i.exec(url.trim());
  if (!match) throw new CertificateSourceError('not a data URL');
  const meta = match[1];
  const data = match[2];
  return /;base64$/i.test(meta) ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'latin1');
}

export function readSource(value: string, kind: 'path' | 'embedded'): Buffer {
  if (kind === 'embedded') return decodeDataUrl(value);
  try {
    return readFileSync(value);
  } catch (error) {
    throw new CertificateSourceError(`cannot read ${value}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** PEM certificate (chain kept when the input is PEM). */
export function certificatePem(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    new X509Certificate(bytes); // throws when the first one does not parse
    return text;
  }
  try {
    return new X509Certificate(bytes).toString();
  } catch (error) {
    throw new CertificateSourceError(`not a certificate: ${(error as Error).message}`);
  }
}

/** PEM private key (PKCS#1, PKCS#8, SEC1; PEM or DER). */
export function privateKeyPem(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  try {
    const key = text.includes('-----BEGIN') ? createPrivateKey(text) : createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
    return key.export({ format: 'pem', type: 'pkcs8' }).toString();
  } catch (error) {
    throw new CertificateSourceError(`not a private key: ${(error as Error).message}`);
  }
}
