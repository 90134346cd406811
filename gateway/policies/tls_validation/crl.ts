/**
 * CRL checks of tls_validation (revocation_check_type "crl"): the PEM CRLs
 * of `revoke_list` are decoded once per configuration load. A client
 * certificate is checked against every CRL issued by its issuer (issuer
 * name equal): the CRL's signature must verify with the issuer's key (the
 * issuer found on the verified path, so a CA the whitelist trusts), the CRL
 * must be current (thisUpdate ≤ now ≤ nextUpdate), and the certificate's
 * serial must not be listed. Errors are OpenSSL's verification strings.
 * A certificate whose issuer published no configured CRL passes.
 */
import type { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { decodeCertificate, normalizeSerial, pemBlocks, serialHex, toBuffer, verifySignature } from './asn1.js';

export interface RevocationList {
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  revoked: ReadonlySet<string>;
  signedData: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
}

/** Decodes the CRLs of one PEM text; throws with the reason when there is none or one does not decode. */
export function parseRevocationLists(pem: string): RevocationList[] {
  const blocks = pemBlocks(pem, 'X509 CRL');
  if (blocks.length === 0) throw new Error('no "-----BEGIN X509 CRL-----" block');
  return blocks.map((der) => {
    let list: CertificateList;
    try {
      list = AsnConvert.parse(der, CertificateList);
    } catch (error) {
      throw new Error(`not a DER CRL: ${(error as Error).message}`, { cause: error });
    }
    if (!list.tbsCertListRaw) throw new Error('not a DER CRL');
    const tbs = list.tbsCertList;
    return {
      issuerDer: toBuffer(AsnConvert.serialize(tbs.issuer)),
      thisUpdate: tbs.thisUpdate.getTime(),
      nextUpdate: tbs.nextUpdate?.getTime(),
      revoked: new Set((tbs.revokedCertificates ?? []).map((entry) => serialHex(entry.userCertificate))),
      signedData: toBuffer(list.tbsCertListRaw),
      signatureAlgorithm: list.signatureAlgorithm.algorithm,
      signature: toBuffer(list.signature),
    };
  });
}

/**
 * undefined when `certificate` is not revoked by any of `lists`, else the
 * error. `issuer` is the certificate's verified issuer (undefined when the
 * path does not show it: a CRL naming that issuer then cannot be trusted).
 */
export function crlError(
  certificate: X509Certificate,
  issuer: X509Certificate | undefined,
  lists: readonly RevocationList[],
  now: Date,
): string | undefined {
  const issuerDer = decodeCertificate(certificate).issuerDer;
  const serial = normalizeSerial(certificate.serialNumber);
  for (const list of lists) {
    if (!list.issuerDer.equals(issuerDer)) continue;
    if (!issuer) return 'unable to get CRL issuer certificate';
    if (!verifySignature(list.signatureAlgorithm, list.signedData, list.signature, issuer.publicKey)) return 'CRL signature failure';
    if (list.thisUpdate > now) return 'CRL is not yet valid';
    if (list.nextUpdate && list.nextUpdate < now) return 'CRL has expired';
    if (list.revoked.has(serial)) return 'certificate revoked';
  }
  return undefined;
}
