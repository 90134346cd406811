// The flavour step: `openshift` keeps the builders' output, `kubernetes` adapts it.
import type { ApiManagerModel } from '../model/types.js';
import type { BuildResult } from '../components/common/desired.js';
import type { Flavour } from './types.js';
import { toKubernetes } from './kubernetes.js';

export { type Flavour, FLAVOURS, isFlavour } from './types.js';

export function applyFlavour(result: BuildResult, flavour: Flavour, model: ApiManagerModel): BuildResult {
  return flavour === 'openshift' ? result : toKubernetes(result, model);
}
