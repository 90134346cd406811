/**
 * The native APIcast OAuth 2.0 authorization-code flow (gateway.md §4.10)
 * for services whose authentication_method is `oauth`: `/authorize`,
 * `/callback` and `/oauth/token` on the service's host. Temporary data and
 * codes live in Redis (REDIS_URL / REDIS_HOST+PORT), issued tokens are
 * stored in the 3scale backend.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PolicyContext } from '../chain/policy.js';
import type { CompiledService } from '../config/compiled.js';
import type { BackendClient } from '../backend/client.js';
import { Args } from '../http/args.js';
import { Usage } from '../mapping/usage.js';

const CODE_TTL_SECONDS = 600;
const TMP_TTL_SECONDS = 600;

export interface NativeOAuthDeps {
  client: BackendClient;
  redis: () => Redis;
  tokensTtl: number;
}

interface TemporaryData {
  client_id: string;
  redirect_uri: string;
  plan_id: string;
  access_token: string;
  state: string;
}
interface CodeData {
  client_id: string;
  redirect_uri: string;
  access_token: string;
  user_id: string;
}

const json = (ctx: PolicyContext, status: number, body: unknown): void => {
  ctx.exit(status, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};

const redirect = (ctx: PolicyContext, location: string): void => {
  ctx.exit(302, { body: '', headers: { Location: location } });
};

function withParams(base: string, params: Record<string, string>, separator = base.includes('?') ? '&' : '?'): string {
  return `${base}${separator}${new URLSearchParams(params).toString()}`;
}

/** Query args, overlaid by form-body args for POST. */
async function params(ctx: PolicyContext): Promise<Args> {
  const query = ctx.request.args();
  return ctx.request.method === 'POST' ? query.overlay(await ctx.request.formArgs()) : query;
}

function authorized(body: string): boolean {
  return /<authorized>true<\/authorized>/.test(body);
}

/** True when the request is one of the flow's endpoints (and was answered). */
export async function handleNativeOAuth(ctx: PolicyContext, service: CompiledService, deps: NativeOAuthDeps): Promise<boolean> {
  const path = ctx.request.path;
  const method = ctx.request.method;
  if ((path === '/authorize' || path === '/authorize/') && (method === 'GET' || method === 'POST')) {
    await authorize(ctx, service, deps);
    return true;
  }
  if ((path === '/callback' || path === '/callback/') && (method === 'GET' || method === 'POST')) {
    await callback(ctx, service, deps);
    return true;
  }
  if (path === '/oauth/token' && method === 'POST') {
    await token(ctx, service, deps);
    return true;
  }
  return false;
}

async function authorize(ctx: PolicyContext, service: CompiledService, deps: NativeOAuthDeps): Promise<void> {
  const p = await params(ctx);
  const clientId = p.get('client_id');
  const redirectUri = p.get('redirect_uri');
  const state = p.get('state') ?? '';
  const fail = (error: string): void => {
    if (redirectUri) redirect(ctx, withParams(redirectUri, { error, ...(state ? { state } : {}) }));
    else json(ctx, 400, { error });
  };
  if (p.get('response_type') !== 'code') {
    fail('unsupported_response_type');
    return;
  }
  if (!clientId || !redirectUri) {
    fail('invalid_request');
    return;
  }
  const validation = await deps.client.authorize(service, {
    usage: new Usage(),
    credentials: { kind: 'app_id', app_id: clientId },
    extra: [['redirect_uri', redirectUri]],
    trace: ctx.trace,
  });
  if (validation.status !== 200 || !authorized(validation.body)) {
    fail('invalid_client');
    return;
  }
  if (!service.oauthLoginUrl) {
    json(ctx, 500, { error: 'the service has no oauth_login_url' });
    return;
  }
  const nonce = randomBytes(16).toString('hex');
  const data: TemporaryData = {
    client_id: clientId,
    redirect_uri: redirectUri,
    plan_id: p.get('scope') ?? '',
    access_token: randomBytes(16).toString('hex'),
    state,
  };
  await deps.redis().set(`${service.id}#tmp_data:${nonce}`, JSON.stringify(data), 'EX', TMP_TTL_SECONDS);
  const forwarded: Record<string, string> = {};
  for (const [name, value] of p.entries()) if (name !== 'state') forwarded[name] = value;
  redirect(ctx, withParams(service.oauthLoginUrl, { ...forwarded, state: nonce, tok: data.access_token }));
}

async function callback(ctx: PolicyContext, service: CompiledService, deps: NativeOAuthDeps): Promise<void> {
  const p = await params(ctx);
  const redirectUri = p.get('redirect_uri') ?? p.get('redirect_url');
  if (!redirectUri) {
    json(ctx, 400, { error: 'missing redirect_uri' });
    return;
  }
  const nonce = p.get('state') ?? '';
  const raw = nonce ? await deps.redis().getdel(`${service.id}#tmp_data:${nonce}`) : null;
  if (!raw) {
    redirect(
      ctx,
      `${redirectUri}#${new URLSearchParams({ error: 'invalid_request', error_description: 'invalid or expired state' }).toString()}`,
    );
    return;
  }
  const data = JSON.parse(raw) as TemporaryData;
  const code = createHash('sha1').update(randomBytes(32)).digest('hex');
  const record: CodeData = {
    client_id: data.client_id,
    redirect_uri: data.redirect_uri,
    access_token: data.access_token,
    user_id: p.get('user_id') ?? p.get('username') ?? '',
  };
  await deps.redis().set(`c:${code}`, JSON.stringify(record), 'EX', CODE_TTL_SECONDS);
  redirect(ctx, withParams(redirectUri, { code, ...(data.state ? { state: data.state } : {}) }));
}

function basicCredentials(ctx: PolicyContext): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/.exec(ctx.request.headers.get('authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

async function token(ctx: PolicyContext, service: CompiledService, deps: NativeOAuthDeps): Promise<void> {
  const p = await params(ctx);
  const basic = basicCredentials(ctx);
  const clientId = basic?.id ?? p.get('client_id');
  const clientSecret = basic?.secret ?? p.get('client_secret');
  const redirectUri = p.get('redirect_uri') ?? '';
  if (!clientId || !clientSecret) {
    json(ctx, 401, { error: 'invalid_client' });
    return;
  }
  const validation = await deps.client.authorize(service, {
    usage: new Usage(),
    credentials: { kind: 'app_id', app_id: clientId, app_key: clientSecret },
    extra: [['redirect_uri', redirectUri]],
    trace: ctx.trace,
  });
  if (validation.status !== 200 || !authorized(validation.body) || !validation.body.includes(clientSecret)) {
    json(ctx, 401, { error: 'invalid_client' });
    return;
  }
  if (p.get('grant_type') !== 'authorization_code' || !p.get('code')) {
    json(ctx, 403, { error: 'invalid_request' });
    return;
  }
  const raw = await deps.redis().getdel(`c:${p.get('code')}`);
  if (!raw) {
    json(ctx, 403, { error: 'expired_code' });
    return;
  }
  const code = JSON.parse(raw) as CodeData;
  if (code.client_id !== clientId) {
    json(ctx, 403, { error: 'invalid authorization code' });
    return;
  }
  const stored = await deps.client.storeAccessToken(
    service,
    { appId: clientId, token: code.access_token, userId: code.user_id || undefined, ttl: deps.tokensTtl },
    ctx.trace,
  );
  if (stored.status < 200 || stored.status >= 300) {
    json(ctx, 403, { error: 'invalid_request' });
    return;
  }
  json(ctx, 200, { access_token: code.access_token, token_type: 'bearer', expires_in: deps.tokensTtl });
}
