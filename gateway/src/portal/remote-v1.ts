/**
 * The legacy "v1" portal protocol (gateway.md §2.3): wait until the portal
 * accepts TCP connections (up to APICAST_CONFIGURATION_TIMEOUT s, every
 * 100 ms), then GET the endpoint path or `/admin/api/nginx/spec.json`; a 200
 * with valid JSON is the whole configuration.
 */
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConfigurationJson } from '../config/types.js';
import { portalUrl, type PortalEndpoint } from './endpoint.js';
import { describeStatus, httpGet, type HttpGetOptions } from './http-get.js';
import type { PortalResult } from './remote-v2.js';

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(500);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('timeout', () => {
      done(false);
    });
  });
}

async function waitForPortal(endpoint: PortalEndpoint, timeoutSeconds: number): Promise<boolean> {
  const url = new URL(endpoint.origin);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const deadline = Date.now() + Math.max(0, timeoutSeconds) * 1000;
  do {
    if (await canConnect(host, port)) return true;
    await sleep(100);
  } while (Date.now() < deadline);
  return false;
}

export async function loadRemoteV1(endpoint: PortalEndpoint, timeoutSeconds: number, http: HttpGetOptions): Promise<PortalResult> {
  if (!(await waitForPortal(endpoint, timeoutSeconds))) {
    return { ok: false, error: `legacy spec.json: portal not reachable within ${timeoutSeconds} s` };
  }
  const path = endpoint.path === '' ? '/admin/api/nginx/spec.json' : endpoint.path;
  const answer = await httpGet(portalUrl(endpoint, [path]), { ...http, authorization: endpoint.authorization, timeoutMs: 10_000 });
  if (answer.status !== 200) return { ok: false, error: `legacy spec.json: ${describeStatus(answer)}` };
  try {
    const value: unknown = JSON.parse(answer.body);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, error: 'legacy spec.json: not a JSON object' };
    }
    return { ok: true, configuration: value as ConfigurationJson, via: 'legacy spec.json' };
  } catch (error) {
    return { ok: false, error: `legacy spec.json: invalid JSON: ${(error as Error).message}` };
  }
}
