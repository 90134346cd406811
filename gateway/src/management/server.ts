/**
 * The management listener (APICAST_MANAGEMENT_PORT): open in every mode;
 * `disabled` answers 403 on `/`, unknown routes 404 "Could not resolve".
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { defaultErrorPage } from '../http/error-page.js';
import { splitTarget } from '../http/uri.js';
import { sendNotFound, type ManagementRouter } from './router.js';

export function createManagementServer(router: ManagementRouter, log: Logger): Server {
  return createServer((req, res) => {
    const method = req.method ?? 'GET';
    const { path } = splitTarget(req.url ?? '/');
    if (router.mode === 'disabled' && path === '/') {
      const body = defaultErrorPage(403);
      res.writeHead(403, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const route = router.resolve(method, path);
    if (!route) {
      sendNotFound(res, method, path);
      return;
    }
    Promise.resolve(route.handler(req, res)).catch((error: unknown) => {
      log.error({ err: error }, `management ${method} ${path} failed`);
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      } else res.destroy();
    });
  });
}
