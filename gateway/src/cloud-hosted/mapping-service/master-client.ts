/**
 * The mapping-service's calls to the master portal (gateway.md §9.2 steps
 * 3-5): an SSO token per provider (cached until `Expires` − 30 s, LRU 100),
 * the provider's admin domain (cached without expiry, LRU 100), then the
 * proxy configs by host on the tenant's admin domain. Any failure ⇒
 * undefined (the server answers 404) with the reason logged. GET answers
 * are reused as their cache headers allow (./http-cache.ts).
 */
import { LRUCache } from 'lru-cache';
import { request, type Dispatcher } from 'undici';
import type { LogSink } from '../../portal/log-sink.js';
import { adminBaseUrl } from './resolve-host.js';
import { HttpCache, type CachedAnswer } from './http-cache.js';

export interface MasterClientOptions {
  apiHost: URL;
  masterAccessToken: string;
  previewBaseDomain: string | undefined;
  log: LogSink;
  dispatcher?: Dispatcher | undefined;
  now?: () => number;
}

export class MasterClient {
  private readonly ssoTokens = new LRUCache<string, { token: string; validUntil: number }>({ max: 100 });
  private readonly adminDomains = new LRUCache<string, string>({ max: 100 });
  private readonly now: () => number;
  private readonly httpCache: HttpCache;

  constructor(private readonly options: MasterClientOptions) {
    this.now = options.now ?? Date.now;
    this.httpCache = new HttpCache(this.now);
  }

  private async call(url: string, init: { method: 'GET' | 'POST'; body?: string }): Promise<CachedAnswer> {
    if (init.method === 'GET') {
      const cached = this.httpCache.get(url);
      if (cached) return cached;
    }
    const response = await request(url, {
      method: init.method,
      body: init.body,
      headers: init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      dispatcher: this.options.dispatcher,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = { status: response.statusCode, headers: response.headers, text: await response.body.text() };
    if (init.method === 'GET') this.httpCache.store(url, answer);
    return answer;
  }

  async ssoToken(providerId: string): Promise<string | undefined> {
    const cached = this.ssoTokens.get(providerId);
    if (cached && cached.validUntil > this.now()) return cached.token;
    const url = new URL('/admin/api/sso_tokens/provider_create.json', this.options.apiHost);
    const body = new URLSearchParams({
      provider_id: providerId,
      access_token: this.options.masterAccessToken,
      expires_in: '60',
    }).toString();
    const answer = await this.call(url.href, { method: 'POST', body });
    if (answer.status !== 201) {
      this.options.log.warn(`mapping-service: SSO token for provider ${providerId}: status ${answer.status}`);
      return undefined;
    }
    const token = (JSON.parse(answer.text) as { sso_token?: { token?: string } }).sso_token?.token;
    if (!token) return undefined;
    const expires = Date.parse(String(answer.headers.expires ?? ''));
    const validUntil = Number.isNaN(expires) ? this.now() + 30_000 : expires - 30_000;
    this.ssoTokens.set(providerId, { token, validUntil });
    return token;
  }

  async adminBase(providerId: string): Promise<string | undefined> {
    let domain = this.adminDomains.get(providerId);
    if (!domain) {
      const url = new URL(`/admin/api/accounts/${encodeURIComponent(providerId)}.json`, this.options.apiHost);
      url.searchParams.set('access_token', this.options.masterAccessToken);
      const answer = await this.call(url.href, { method: 'GET' });
      if (answer.status !== 200) {
        this.options.log.warn(`mapping-service: account ${providerId}: status ${answer.status}`);
        return undefined;
      }
      domain = (JSON.parse(answer.text) as { account?: { admin_domain?: string } }).account?.admin_domain;
      if (!domain) return undefined;
      this.adminDomains.set(providerId, domain);
    }
    return adminBaseUrl(this.options.apiHost, domain, this.options.previewBaseDomain);
  }

  /** The tenant's `{"proxy_configs":[…]}` for `host`, verbatim, or undefined. */
  async proxyConfigs(providerId: string, env: string, host: string): Promise<string | undefined> {
    try {
      const token = await this.ssoToken(providerId);
      const base = token ? await this.adminBase(providerId) : undefined;
      if (!token || !base) return undefined;
      const url = new URL(`/admin/api/services/proxy/configs/${encodeURIComponent(env)}.json`, base);
      url.searchParams.set('host', host);
      url.searchParams.set('token', token);
      const answer = await this.call(url.href, { method: 'GET' });
      if (answer.status !== 200) {
        this.options.log.warn(`mapping-service: proxy configs of ${host}: status ${answer.status}`);
        return undefined;
      }
      return answer.text;
    } catch (error) {
      this.options.log.warn(`mapping-service: ${host}: ${(error as Error).message}`);
      return undefined;
    }
  }
}
