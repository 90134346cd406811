/**
 * OCSP checks of tls_validation (revocation_check_type "ocsp", RFC 6960).
 *
 * - The request: one CertID (SHA-1 of the issuer's name and key, the
 *   client certificate's serial), unsigned, no nonce (as the original),
 *   POSTed as application/ocsp-request with undici over a keep-alive agent
 *   the gateway runtime owns (closed with the gateway), or through the
 *   forward proxy HTTP(S)_PROXY / NO_PROXY choose.
 * - The URL: `ocsp_responder_url` when set (non-empty), else the client
 *   certificate's Authority Information Access "OCSP - URI".
 * - The response must be `successful`, a basic response whose signature
 *   verifies with the issuer's key, or with a responder certificate the
 *   response carries that the issuer signed, that is valid now and has the
 *   OCSPSigning extended key usage (delegated responder); it must hold a
 *   SingleResponse for this CertID that is current (thisUpdate not in the
 *   future, nextUpdate not past; 5 minutes of clock skew).
 * - Verified answers (good, revoked, unknown) are cached per client
 *   certificate (SHA-256 fingerprint) for `cache_ttl` seconds, never past
 *   the answer's nextUpdate; failures are never cached. Concurrent checks of
 *   one certificate share one responder call.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { LRUCache } from 'lru-cache';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { decodeCertificate, toBuffer, verifySignature } from './asn1.js';

export type OcspStatus = 'good' | 'revoked' | 'unknown';

/** A failed check: `reason` goes to the log, never to the client. */
export class OcspFailure extends Error {
  constructor(
    reason: string,
    readonly kind: 'no-url' | 'no-issuer' | 'responder',
  ) {
    super(reason);
  }
}

const SHA1 = '1.3.14.3.2.26';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';
const SKEW_MS = 5 * 60 * 1000;
const MAX_RESPONSE_BYTES = 1024 * 1024;
const TIMEOUT_MS = 5000;

function sha1(data: Buffer): Buffer {
  return createHash('sha1').update(data).digest();
}

export function certificateId(certificate: X509Certificate, issuer: X509Certificate): CertID {
  const leaf = decodeCertificate(certificate);
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(sha1(leaf.issuerDer)),
    issuerKeyHash: new OctetString(sha1(decodeCertificate(issuer).publicKeyBits)),
    serialNumber: new Uint8Array(leaf.serial).buffer,
  });
}

/** DER of an OCSPRequest for `certificate` issued by `issuer`. */
export function buildOcspRequest(certificate: X509Certificate, issuer: X509Certificate): Buffer {
  const ocspRequest = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certificateId(certificate, issuer) })] }),
  });
  return toBuffer(AsnConvert.serialize(ocspRequest));
}

/** The OCSP URL of the certificate's Authority Information Access extension, if any. */
export function aiaOcspUrl(certificate: X509Certificate): string | undefined {
  const match = /OCSP - URI:(\S+)/.exec(certificate.infoAccess ?? '');
  return match?.[1];
}

function sameId(a: CertID, b: CertID): boolean {
  return (
    a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm &&
    toBuffer(a.issuerNameHash.buffer).equals(toBuffer(b.issuerNameHash.buffer)) &&
    toBuffer(a.issuerKeyHash.buffer).equals(toBuffer(b.issuerKeyHash.buffer)) &&
    toBuffer(a.serialNumber).equals(toBuffer(b.serialNumber))
  );
}

function extendedKeyUsage(certificate: X509Certificate): readonly string[] {
  // Node 20 names the extended key usages `keyUsage`; later versions `extKeyUsage`.
  // keyUsage is undefined when the certificate has no such extension, whatever Node's types say.
  const c: Omit<X509Certificate, 'keyUsage'> & { extKeyUsage?: string[]; keyUsage?: string[] } = certificate;
  return c.extKeyUsage ?? c.keyUsage ?? [];
}

export interface VerifiedAnswer {
  status: OcspStatus;
  nextUpdate: Date | undefined;
}

/** Decodes and verifies a DER OCSPResponse for `certificate`; throws OcspFailure('responder') with the reason. */
export function verifyOcspResponse(der: Buffer, certificate: X509Certificate, issuer: X509Certificate, now: Date): VerifiedAnswer {
  const fail = (reason: string): never => {
    throw new OcspFailure(reason, 'responder');
  };
  let response: OCSPResponse;
  let basic: BasicOCSPResponse;
  try {
    response = AsnConvert.parse(der, OCSPResponse);
  } catch {
    return fail('the OCSP response does not decode');
  }
  if (response.responseStatus !== OCSPResponseStatus.successful) {
    // A status outside the enum has no name.
    const statusNames: Partial<Record<number, string>> = OCSPResponseStatus;
    return fail(`OCSP response status ${statusNames[response.responseStatus] ?? response.responseStatus}`);
  }
  if (!response.responseBytes || response.responseBytes.responseType !== id_pkix_ocsp_basic) return fail('not a basic OCSP response');
  try {
    basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
  } catch {
    return fail('the basic OCSP response does not decode');
  }
  const signed = basic.tbsResponseDataRaw;
  if (!signed) return fail('the basic OCSP response does not decode');
  const signedBy = (key: X509Certificate) => verifySignature(basic.signatureAlgorithm.algorithm, signed, basic.signature, key.publicKey);
  if (!signedBy(issuer)) {
    const delegated = (basic.certs ?? []).flatMap((c) => {
      try {
        return [new X509Certificate(toBuffer(AsnConvert.serialize(c)))];
      } catch {
        return [];
      }
    });
    const authorized = delegated.find(
      (responder) =>
        responder.checkIssued(issuer) &&
        responder.verify(issuer.publicKey) &&
        extendedKeyUsage(responder).includes(OCSP_SIGNING) &&
        new Date(responder.validFrom) <= now &&
        new Date(responder.validTo) >= now &&
        signedBy(responder),
    );
    if (!authorized) return fail('the OCSP response is signed neither by the issuer nor by a responder it authorized');
  }
  const id = certificateId(certificate, issuer);
  const single = basic.tbsResponseData.responses.find((r) => sameId(r.certID, id));
  if (!single) return fail('the OCSP response has no status for this certificate');
  if (single.thisUpdate.getTime() > now.getTime() + SKEW_MS) return fail('the OCSP response is not yet valid');
  if (single.nextUpdate && single.nextUpdate.getTime() < now.getTime() - SKEW_MS) return fail('the OCSP response has expired');
  const status = single.certStatus;
  const answer: OcspStatus = status.revoked !== undefined ? 'revoked' : status.unknown !== undefined ? 'unknown' : 'good';
  return { status: answer, nextUpdate: single.nextUpdate };
}

export interface OcspCheckerOptions {
  /** ocsp_responder_url: overrides the certificate's AIA URL. */
  responderUrl: string | undefined;
  /** cache_ttl in seconds; undefined ⇒ answers are not cached. */
  cacheTtl: number | undefined;
  /** The dispatcher for a responder URL: the gateway's keep-alive pool, or a forward proxy's. */
  dispatcher: (url: string) => Dispatcher;
  maxCached?: number;
}

export class OcspChecker {
  private readonly cache: LRUCache<string, OcspStatus> | undefined;
  private readonly inFlight = new Map<string, Promise<OcspStatus>>();
  /** Responder calls made (tests and logs). */
  calls = 0;

  constructor(private readonly options: OcspCheckerOptions) {
    this.cache = options.cacheTtl ? new LRUCache<string, OcspStatus>({ max: options.maxCached ?? 10_000, ttlAutopurge: false }) : undefined;
  }

  /** The cached status, synchronously (keeps the access phase synchronous on a hit). */
  cached(certificate: X509Certificate): OcspStatus | undefined {
    return this.cache?.get(certificate.fingerprint256);
  }

  /** Asks the responder (or joins a call under way); rejects with OcspFailure. */
  check(certificate: X509Certificate, issuer: X509Certificate | undefined): Promise<OcspStatus> {
    const key = certificate.fingerprint256;
    const running = this.inFlight.get(key);
    if (running) return running;
    const call = this.ask(certificate, issuer)
      .catch((error: unknown) => {
        throw error instanceof OcspFailure ? error : new OcspFailure(`the OCSP check failed: ${(error as Error).message}`, 'responder');
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async ask(certificate: X509Certificate, issuer: X509Certificate | undefined): Promise<OcspStatus> {
    const url = this.options.responderUrl || aiaOcspUrl(certificate);
    if (!url) throw new OcspFailure('no ocsp_responder_url and the certificate has no OCSP URL (Authority Information Access)', 'no-url');
    if (!issuer)
      throw new OcspFailure('the issuer of the client certificate is not known (send the chain or whitelist the issuer)', 'no-issuer');
    const body = buildOcspRequest(certificate, issuer);
    let der: Buffer;
    this.calls += 1;
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.options.dispatcher(url),
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body,
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new OcspFailure(`the OCSP responder answered ${response.statusCode}`, 'responder');
      }
      const bytes = await response.body.arrayBuffer();
      if (bytes.byteLength === 0) throw new OcspFailure('the OCSP responder answered an empty body', 'responder');
      if (bytes.byteLength > MAX_RESPONSE_BYTES) throw new OcspFailure('the OCSP response is too large', 'responder');
      der = Buffer.from(bytes);
    } catch (error) {
      if (error instanceof OcspFailure) throw error;
      throw new OcspFailure(`the OCSP responder ${url} could not be reached: ${(error as Error).message}`, 'responder');
    }
    const now = new Date();
    const answer = verifyOcspResponse(der, certificate, issuer, now);
    if (this.cache && this.options.cacheTtl) {
      const untilNext = answer.nextUpdate ? answer.nextUpdate.getTime() - now.getTime() : Infinity;
      const ttl = Math.min(this.options.cacheTtl * 1000, untilNext);
      if (ttl > 0) this.cache.set(certificate.fingerprint256, answer.status, { ttl });
    }
    return answer.status;
  }
}
