/**
 * The ASN.1 pieces tls_validation's revocation checks share (CRL and OCSP):
 * DER of a certificate's names and key, serial numbers as comparable hex,
 * and signature verification of a signed structure (CRL, OCSP response) by
 * a certificate's key with node:crypto. ASN.1 decoding and encoding is
 * @peculiar/asn1-schema + @peculiar/asn1-x509.
 */
import { verify as verifySignatureRaw, type KeyObject, type X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';

/** Signature algorithm OID → node:crypto digest (null: the key type decides, Ed25519/Ed448). */
const SIGNATURE_DIGESTS: Partial<Record<string, string | null>> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519
  '1.3.101.113': null, // Ed448
};

/** True when `signature` over `data` verifies with `key` for the algorithm OID; false for unknown algorithms. */
export function verifySignature(
  algorithmOid: string,
  data: ArrayBuffer | Uint8Array,
  signature: ArrayBuffer | Uint8Array,
  key: KeyObject,
): boolean {
  const digest = SIGNATURE_DIGESTS[algorithmOid];
  if (digest === undefined) return false;
  try {
    return verifySignatureRaw(digest, toBuffer(data), key, toBuffer(signature));
  } catch {
    return false;
  }
}

export function toBuffer(data: ArrayBuffer | Uint8Array): Buffer {
  return data instanceof Uint8Array ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** An INTEGER's content bytes as upper-case hex without leading zeros ("0" for zero). */
export function serialHex(bytes: ArrayBuffer | Uint8Array): string {
  return normalizeSerial(toBuffer(bytes).toString('hex'));
}

/** node:crypto's `serialNumber` (hex) in the same form as serialHex. */
export function normalizeSerial(hex: string): string {
  return hex.replace(/^0+/, '').toUpperCase() || '0';
}

export interface DecodedCertificate {
  /** DER of the issuer Name. */
  issuerDer: Buffer;
  /** DER of the subject Name. */
  subjectDer: Buffer;
  /** The subjectPublicKey BIT STRING's bytes (what an OCSP issuerKeyHash hashes). */
  publicKeyBits: Buffer;
  /** The serialNumber INTEGER's content bytes. */
  serial: Buffer;
}

const decoded = new WeakMap<X509Certificate, DecodedCertificate>();

export function decodeCertificate(certificate: X509Certificate): DecodedCertificate {
  let result = decoded.get(certificate);
  if (!result) {
    const parsed = AsnConvert.parse(certificate.raw, Certificate);
    const tbs = parsed.tbsCertificate;
    result = {
      issuerDer: toBuffer(AsnConvert.serialize(tbs.issuer)),
      subjectDer: toBuffer(AsnConvert.serialize(tbs.subject)),
      publicKeyBits: toBuffer(tbs.subjectPublicKeyInfo.subjectPublicKey),
      serial: toBuffer(tbs.serialNumber),
    };
    decoded.set(certificate, result);
  }
  return result;
}

/** The DER blocks of a PEM text with the given label (e.g. "X509 CRL"). */
export function pemBlocks(text: string, label: string): Buffer[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(pattern)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
}
