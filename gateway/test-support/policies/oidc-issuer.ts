/**
 * A local OpenID Connect issuer for tests, speaking the standard protocols:
 * discovery (`/.well-known/openid-configuration`), JWKS (`/jwks`), token
 * introspection (RFC 7662, `POST /introspect`, client Basic auth or an RFC 7523
 * client assertion signed with the client secret or a registered key). Keys are
 * generated at test time (never committed); `rotate()` publishes a new key.
 * Records every call so tests can assert on what the gateway sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface IssuerCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, jwk };
}

export class TestOidcIssuer {
  readonly calls: IssuerCall[] = [];
  /** token → introspection answer (absent ⇒ {active:false}). */
  readonly introspection = new Map<string, Record<string, unknown>>();
  /** Status the introspection endpoint answers instead (e.g. 500). */
  introspectionStatus: number | undefined;
  readonly client = { id: 'gateway', secret: 's3cret' };
  /** Public key of a private_key_jwt client; absent ⇒ assertions are checked as client_secret_jwt (HS256). */
  clientPublicKey: KeyObject | undefined;
  /** The `aud` a client assertion must carry. */
  assertionAudience = 'https://issuer.test/realms/test';
  private readonly seenJti = new Set<string>();
  private keys: SigningKey[] = [];
  /** Public keys published beside the RS256 signing keys (the test signs with their private halves itself). */
  private extraJwks: JWK[] = [];
  private generation = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TestOidcIssuer> {
    // The server's handler reads `issuer`, declared once it listens: no request reaches it before.
    const server = createServer((req, res) => {
      void handle(req, res);
    });
    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString();
      const path = (req.url ?? '/').split('?')[0];
      issuer.calls.push({ method: req.method ?? '', path, headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (path.endsWith('/.well-known/openid-configuration')) {
        json(200, issuer.discovery());
        return;
      }
      if (path === '/jwks') {
        json(200, { keys: [...issuer.keys.map((k) => k.jwk), ...issuer.extraJwks] });
        return;
      }
      if (path === '/introspect' && req.method === 'POST') {
        if (issuer.introspectionStatus !== undefined) {
          json(issuer.introspectionStatus, { error: 'failing on purpose' });
          return;
        }
        const form = new URLSearchParams(body);
        if (!(await issuer.clientAuthenticated(req, form))) {
          json(401, { error: 'invalid_client' });
          return;
        }
        const token = form.get('token') ?? '';
        json(200, issuer.introspection.get(token) ?? { active: false });
        return;
      }
      json(404, { error: 'not found' });
    };
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    const issuer = new TestOidcIssuer(server, (server.address() as AddressInfo).port);
    await issuer.rotate();
    return issuer;
  }

  /** Basic credentials, or a client assertion: signature, iss = sub = client_id, aud, exp, and a jti never seen before. */
  private async clientAuthenticated(req: IncomingMessage, form: URLSearchParams): Promise<boolean> {
    const assertion = form.get('client_assertion');
    if (assertion === null) {
      return req.headers.authorization === `Basic ${Buffer.from(`${this.client.id}:${this.client.secret}`).toString('base64')}`;
    }
    if (
      form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
      form.get('client_id') !== this.client.id
    )
      return false;
    try {
      const key = this.clientPublicKey ?? new TextEncoder().encode(this.client.secret);
      const { payload } = await jwtVerify(assertion, key, {
        issuer: this.client.id,
        subject: this.client.id,
        audience: this.assertionAudience,
        requiredClaims: ['exp', 'jti'],
      });
      const jti = payload.jti; // a required claim: jwtVerify refused an assertion without one
      if (jti === undefined || this.seenJti.has(jti)) return false;
      this.seenJti.add(jti);
      return true;
    } catch {
      return false;
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/realms/test`;
  }

  /** The issuer endpoint with client credentials, as 3scale stores `oidc_issuer_endpoint`. */
  get endpointWithCredentials(): string {
    return `http://${this.client.id}:${this.client.secret}@127.0.0.1:${this.port}/realms/test`;
  }

  discovery(): Record<string, unknown> {
    return {
      issuer: this.url,
      jwks_uri: `http://127.0.0.1:${this.port}/jwks`,
      token_introspection_endpoint: `http://127.0.0.1:${this.port}/introspect`,
      id_token_signing_alg_values_supported: ['RS256', ...new Set(this.extraJwks.map((k) => String(k.alg)))],
    };
  }

  /** Publishes a public key of another algorithm (ES256, ES384, ES512, ...) in the JWKS and the discovery document. */
  async publishKey(kid: string, publicKey: CryptoKey, alg: string): Promise<void> {
    this.extraJwks.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
  }

  /** Publishes a new signing key (the old one stays published unless `dropOld`). */
  async rotate(dropOld = false): Promise<string> {
    const key = await newKey(`key-${++this.generation}`);
    this.keys = dropOld ? [key] : [...this.keys, key];
    return key.kid;
  }

  /** A signed access token; claims override the defaults (iss, sub, aud, exp in 60 s, typ Bearer). */
  async token(claims: JWTPayload = {}, options: { kid?: string; expiresIn?: number } = {}): Promise<string> {
    const key = options.kid ? this.keys.find((k) => k.kid === options.kid) : this.keys.at(-1);
    if (!key) throw new Error(`test OIDC issuer: no key ${options.kid ?? '(none rotated in yet)'}`);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ typ: 'Bearer', azp: 'app-1', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(typeof claims.iss === 'string' ? claims.iss : this.url)
      .setSubject(typeof claims.sub === 'string' ? claims.sub : 'user-1')
      .setAudience(claims.aud ?? 'account')
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 60))
      .sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}
