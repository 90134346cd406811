/**
 * `apicast` command. No argument (or `start`): start the gateway from the
 * environment. `apicast <command> …`: imports ./commands/<command>.js whose
 * default export `(args: string[]) => Promise<number>` returns the exit code
 * (e.g. `apicast generate policy NAME`). Add a command = add a file.
 */
import { parseSettings, SettingsError } from './settings.js';
import { createLogger } from './logging/logger.js';
import { runGateway } from './workers/run-gateway.js';
import { logSink } from './portal/log-sink.js';

async function runCommand(name: string, args: string[]): Promise<number> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    process.stderr.write(`apicast: unknown command "${name}"\n`);
    return 2;
  }
  let module: { default?: (args: string[]) => Promise<number> };
  try {
    module = (await import(`./commands/${name}.js`)) as typeof module;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write(`apicast: unknown command "${name}"\n`);
      return 2;
    }
    throw error;
  }
  if (typeof module.default !== 'function') {
    process.stderr.write(`apicast: command "${name}" has no default export\n`);
    return 2;
  }
  return module.default(args);
}

async function start(): Promise<void> {
  let settings;
  try {
    settings = parseSettings(process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`apicast: invalid environment: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(settings.logLevel, settings.logFile);
  // Workers, signals (HUP reload, QUIT drain, TERM exit), portal loading, metrics,
  // HTTPS: the operations side wraps startGateway (gateway/src/workers/).
  await runGateway({ workers: settings.workers, metricsPort: settings.metricsPort, log: logSink(log) }, async () => {
    // The serving stack loads only in the process that serves: a primary forks its workers without it.
    const [{ BootError }, { BootExit, startWorker }] = await Promise.all([import('./gateway.js'), import('./workers/start-worker.js')]);
    try {
      return await startWorker(settings, log);
    } catch (error) {
      const known = error instanceof BootError || error instanceof BootExit;
      const code = error instanceof BootExit ? error.code : 1;
      const message = known ? error.message : `gateway failed to start: ${(error as Error).stack ?? String(error)}`;
      if (code === 0) log.warn(message);
      else log.fatal(message);
      log.flush();
      process.stderr.write(`apicast: ${message}\n`);
      process.exit(code);
    }
  });
}

const args = process.argv.slice(2);
const command = args.at(0);
const rest = args.slice(1);
if (command === undefined || command === 'start') {
  await start();
} else {
  process.exitCode = await runCommand(command, rest);
}
