/**
 * Management API routing (gateway.md §6): each route declares the modes it
 * exists in; anything else is 404 `Could not resolve <METHOD> <PATH> - nil`.
 * Routes are registered by separate files (status-routes.ts, and the
 * operations engineer's config/policies/dns routes), listed in routes.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ManagementMode } from '../settings.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: string;
  path: string;
  modes: readonly ManagementMode[];
  handler: RouteHandler;
}

export const ALL_ROUTE_MODES: readonly ManagementMode[] = ['status', 'policies', 'debug'];

export class ManagementRouter {
  private readonly routes = new Map<string, Route>();

  constructor(readonly mode: ManagementMode) {}

  add(route: Route): void {
    for (const path of [route.path, route.path.endsWith('/') ? route.path.slice(0, -1) : `${route.path}/`]) {
      if (path) this.routes.set(`${route.method} ${path}`, route);
    }
  }

  /** The route for this request in the current mode, or undefined. */
  resolve(method: string, path: string): Route | undefined {
    const route = this.routes.get(`${method} ${path}`) ?? (method === 'HEAD' ? this.routes.get(`GET ${path}`) : undefined);
    return route && route.modes.includes(this.mode) ? route : undefined;
  }
}

/** JSON answer ending with a newline (gateway.md §6). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendNotFound(res: ServerResponse, method: string, path: string): void {
  const text = `Could not resolve ${method} ${path} - nil\n`;
  res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
