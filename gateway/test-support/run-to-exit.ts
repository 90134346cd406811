/**
 * `node bin/apicast.js` expected to exit by itself (bad configuration or
 * environment): its exit code and everything it printed.
 */
import { spawn } from 'node:child_process';
import { APICAST_BIN, REPO_ROOT, gatewayEnv, writeConfigFile } from './gateway-process.js';

export async function runGatewayToExit(
  config: unknown,
  env: Record<string, string> = {},
  timeoutMs = 15_000,
): Promise<{ code: number | null; output: string }> {
  const file = await writeConfigFile(config);
  const child = spawn(process.execPath, [APICAST_BIN], { env: await gatewayEnv({ THREESCALE_CONFIG_FILE: file, ...env }), cwd: REPO_ROOT });
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) =>
    child.on('exit', (c) => {
      resolve(c);
    }),
  );
  clearTimeout(timer);
  return { code, output };
}
