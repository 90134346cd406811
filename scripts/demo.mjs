// `make demo`: the newcomer's first run. Starts the gateway built in this repo
// on the shipped example configuration (one service in front of the built-in
// echo API, authorized by the built-in fake backend), waits until it is ready,
// sends one request through it, prints it, and keeps the gateway running until
// Ctrl-C.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.APICAST_HTTP_PORT ?? 8080);
const managementPort = Number(process.env.APICAST_MANAGEMENT_PORT ?? 8090);
const configFile = process.env.THREESCALE_CONFIG_FILE ?? join(root, 'gateway/examples/echo-config.json');

const step = (message) => console.log(`==> ${message}`);

step(`starting the gateway on :${port} with ${configFile}`);
const gateway = spawn(process.execPath, [join(root, 'bin/apicast.js')], {
  env: { ...process.env, THREESCALE_CONFIG_FILE: configFile, APICAST_LOG_LEVEL: process.env.APICAST_LOG_LEVEL ?? 'notice' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const stop = () => { gateway.kill('SIGTERM'); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
gateway.on('exit', (code, signal) => {
  if (signal !== 'SIGTERM') console.error(`gateway exited (${signal ?? code})`);
  process.exit(signal === 'SIGTERM' ? 0 : code ?? 1);
});

const deadline = Date.now() + 20_000;
let ready = false;
while (Date.now() < deadline && !ready) {
  try {
    ready = (await fetch(`http://127.0.0.1:${managementPort}/status/ready`)).status === 200;
  } catch { /* not listening yet */ }
  if (!ready) await sleep(100);
}
if (!ready) {
  console.error(`the gateway was not ready on :${managementPort}/status/ready after 20 s`);
  stop();
  process.exit(1);
}

const url = `http://localhost:${port}/hello?user_key=demo`;
step(`GET ${url}`);
const response = await fetch(url);
console.log(`HTTP ${response.status}`);
console.log(await response.text());
step(`the gateway keeps running; try:  curl -i "${url}"   (Ctrl-C to stop)`);
