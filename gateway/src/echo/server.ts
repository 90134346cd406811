/**
 * The built-in echo API and fake backend (gateway.md §0, APICAST_ECHO_PORT):
 * any path answers 200 with the raw request (request line, header lines,
 * then the body when Content-Length was sent); `?delay=<s>` sleeps first;
 * `/config/…` answers `{}`; Host `backend` + `/transactions/authrep.xml`
 * answers `transactions authrep!`. Services without backend.endpoint point
 * here, so they are always authorized.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestHost } from '../http/host.js';
import { Args } from '../http/args.js';
import { splitTarget } from '../http/uri.js';

export function createEchoServer(): Server {
  return createServer((req, res) => {
    void answer(req, res);
  });
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.url ?? '/';
  const { path, query } = splitTarget(target);
  const delay = Number(Args.parse(query).get('delay'));
  if (Number.isFinite(delay) && delay > 0) await sleep(Math.min(delay, 600) * 1000);
  if (requestHost(req.headers.host) === 'backend' && path === '/transactions/authrep.xml') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('transactions authrep!');
    return;
  }
  if (path.startsWith('/config/')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{}');
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let text = `${req.method} ${target} HTTP/${req.httpVersion}\n`;
  for (let i = 0; i < req.rawHeaders.length; i += 2) text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\n`;
  const head = Buffer.from(req.headers['content-length'] !== undefined ? `${text}\n` : text);
  const body = req.headers['content-length'] !== undefined ? Buffer.concat([head, ...chunks]) : head;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
  res.end(body);
}
