// All APIManager builders in inventory order (operator-objects §2) plus PDBs, monitoring and autoscalers.
import type { BuildResult, DesiredObject } from './common/desired.js';
import type { BuildContext } from './common/context.js';
import { buildImages } from './images/index.js';
import { buildRedis } from './redis/index.js';
import { buildSystemDatabase, systemDatabaseFindings } from './system-database/index.js';
import { buildBackend } from './backend/index.js';
import { buildMemcached } from './memcached/index.js';
import { buildSystem } from './system/index.js';
import { buildZync } from './zync/index.js';
import { withoutZync } from './zync/disabled.js';
import { buildApicastWithFindings } from './apicast/index.js';
import { buildPodDisruptionBudgets } from './pdb/index.js';
import { buildMonitoring } from './monitoring/index.js';
import { buildHorizontalPodAutoscalers } from './hpa/index.js';

export function buildApiManagerObjects(ctx: BuildContext): BuildResult {
  const m = ctx.model;
  const dbImage = buildSystemDatabase(ctx);
  // Inventory order puts the database ImageStream (#8) right after the images builder.
  const dbStream = dbImage.filter((o) => o.object.kind === 'ImageStream');
  const dbRest = dbImage.filter((o) => o.object.kind !== 'ImageStream');
  const pdbs = buildPodDisruptionBudgets(m);
  const monitoring = buildMonitoring(m);
  const autoscalers = buildHorizontalPodAutoscalers(m);
  const gateways = buildApicastWithFindings(ctx);
  const objects: DesiredObject[] = [
    ...buildImages(ctx),
    ...dbStream,
    ...buildRedis(ctx),
    ...buildBackend(ctx),
    ...dbRest,
    ...buildMemcached(ctx),
    ...buildSystem(ctx),
    ...buildZync(ctx),
    ...gateways.objects,
    ...pdbs.objects,
    ...monitoring.objects,
    ...autoscalers.objects,
  ];
  const result = {
    objects,
    absent: [...pdbs.absent, ...monitoring.absent, ...autoscalers.absent],
    findings: [...ctx.secrets.findings, ...systemDatabaseFindings(ctx), ...gateways.findings],
  };
  return m.zync.enabled ? result : withoutZync(result);
}
