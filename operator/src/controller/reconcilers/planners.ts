// The production planners: the builders' pipeline (operator/ARCHITECTURE.md "How to call it") with the
// controller's inputs — existing secrets from the cache, operator value source (CSPRNG), user secrets checked.
import type { APIManager, APIcast } from '../../api/types.js';
import type { KubeObject } from '../desired.js';
import { toApiManagerModel } from '../../model/apimanager.js';
import { toApicastModel } from '../../model/apicast.js';
import { resolveSecrets } from '../../secrets/resolve.js';
import { operatorValueSource } from '../../secrets/value-source.js';
import { buildApiManagerObjects } from '../../components/index.js';
import { buildApicastCr } from '../../components/apicast-cr/index.js';
import { checkApicastSecrets, type ReferencedSecret } from '../../components/apicast-cr/secrets.js';
import type { ApiManagerPlanner } from './apimanager-planner.js';
import type { ApicastPlanner } from './apicast-planner.js';
import { applyFlavour } from '../../flavours/index.js';
import { tlsSecretErrors } from '../../components/common/tls-links.js';

export const apiManagerPlanner: ApiManagerPlanner = (cr, existing, target, env) => {
  const model = toApiManagerModel(cr as unknown as APIManager, env);
  if (!model.ok) return { ok: false, errors: model.errors };
  // A TLS-enabled link whose Secret lacks its certificates: refused, naming the field, Secret and key.
  const tlsErrors = tlsSecretErrors(model.value.tls, (name) => existing.get(name)?.data);
  if (tlsErrors.length > 0) return { ok: false, errors: tlsErrors };
  const secrets = resolveSecrets(model.value, existing, operatorValueSource, { checkUserSecrets: true });
  const built = buildApiManagerObjects({ model: model.value, secrets, lookupSecret: (name) => existing.get(name)?.data });
  return {
    ok: true,
    plan: {
      result: applyFlavour(built, target.flavour, model.value, target.workloads),
      effective: secrets.effective,
      warnings: model.warnings ?? [],
    },
  };
};

export const apicastPlanner: ApicastPlanner = (cr, lookup, env) => {
  const model = toApicastModel(cr as unknown as APIcast, env);
  if (!model.ok) return { ok: false, errors: model.errors };
  const { refs, findings } = checkApicastSecrets(model.value, (name): ReferencedSecret | undefined => lookup(name));
  if (findings.length > 0) {
    return {
      ok: false,
      errors: findings.map((f) => ({
        path: f.secret ? `secret ${f.secret}${f.key ? ` key ${f.key}` : ''}` : (f.field ?? 'spec'),
        reason: f.reason,
      })),
    };
  }
  return { ok: true, result: buildApicastCr(model.value, refs, (name) => lookup(name)?.data), warnings: model.warnings ?? [] };
};

export type { KubeObject };
