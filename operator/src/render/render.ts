// One CR document → every object a reconcile pass would create, without a cluster (operator.md §2.6).
import type { APIManager, APIcast } from '../api/types.js';
import { validateCr } from '../api/validate.js';
import type { Env } from '../model/images.js';
import type { FieldError } from '../model/types.js';
import { toApiManagerModel } from '../model/apimanager.js';
import { toApicastModel } from '../model/apicast.js';
import { resolveSecrets } from '../secrets/resolve.js';
import { type ValueSource, operatorValueSource } from '../secrets/value-source.js';
import { buildApiManagerObjects } from '../components/index.js';
import { buildApicastCr } from '../components/apicast-cr/index.js';
import type { BuildResult } from '../components/common/desired.js';
import { type Flavour, applyFlavour } from '../flavours/index.js';

export interface RenderOptions {
  flavour: Flavour;
  env: Env;
  /** Injectable for tests; render uses the CSPRNG. */
  values?: ValueSource;
}

export type RenderOutcome = { ok: true; result: BuildResult; warnings: FieldError[] } | { ok: false; errors: FieldError[] };

function kindOf(document: unknown): string | undefined {
  return typeof document === 'object' && document !== null && 'kind' in document && typeof document.kind === 'string'
    ? document.kind
    : undefined;
}

export function renderDocument(document: unknown, options: RenderOptions): RenderOutcome {
  const kind = kindOf(document);
  if (kind === 'APIManager') {
    const errors = validateCr('APIManager', document);
    if (errors.length > 0) return { ok: false, errors };
    const model = toApiManagerModel(document as APIManager, options.env);
    if (!model.ok) return model;
    // No cluster: every Secret counts as absent; user-provided secrets are not checked (§2.6).
    const secrets = resolveSecrets(model.value, new Map(), options.values ?? operatorValueSource, { checkUserSecrets: false });
    const built = buildApiManagerObjects({ model: model.value, secrets });
    return { ok: true, result: applyFlavour(built, options.flavour, model.value), warnings: model.warnings ?? [] };
  }
  if (kind === 'APIcast') {
    const errors = validateCr('APIcast', document);
    if (errors.length > 0) return { ok: false, errors };
    const model = toApicastModel(document as APIcast, options.env);
    if (!model.ok) return model;
    return { ok: true, result: buildApicastCr(model.value), warnings: model.warnings ?? [] };
  }
  return {
    ok: false,
    errors: [
      {
        path: 'kind',
        reason: `must be APIManager or APIcast (apiVersion apps.3scale.net/v1alpha1), got ${kind === undefined ? 'nothing' : JSON.stringify(kind)}`,
      },
    ],
  };
}
