/**
 * `apicast mapping-service`: the cloud-hosted mapping-service (gateway.md
 * §9.2) on MAPPING_SERVICE_PORT (default 8093). Runs until SIGTERM/SIGINT.
 */
import { Agent } from 'undici';
import { createLogger } from '../logging/logger.js';
import { SettingsError } from '../settings.js';
import { MasterClient } from '../cloud-hosted/mapping-service/master-client.js';
import { createMappingServer } from '../cloud-hosted/mapping-service/server.js';
import { parseMappingServiceSettings } from '../cloud-hosted/mapping-service/settings.js';

export default async function mappingService(): Promise<number> {
  let settings;
  try {
    settings = parseMappingServiceSettings(process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      process.stderr.write(`apicast mapping-service: invalid environment: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const log = createLogger('info', undefined);
  const dispatcher = new Agent({ connect: { rejectUnauthorized: settings.opensslVerify } });
  const client = new MasterClient({
    apiHost: settings.apiHost, masterAccessToken: settings.masterAccessToken, previewBaseDomain: settings.previewBaseDomain,
    log: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    dispatcher,
  });
  const server = createMappingServer(client);
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(settings.port, () => resolve()); });
  log.info(`mapping-service listening on ${settings.port}, master portal ${settings.apiHost.origin}`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await dispatcher.close();
  return 0;
}
