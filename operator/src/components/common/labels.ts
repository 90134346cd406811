// Labels and selectors (operator-objects §1).
import type { ApiManagerModel } from '../../model/types.js';

export type Labels = Record<string, string>;

export function componentLabels(model: ApiManagerModel, component: string, element?: string): Labels {
  const labels: Labels = { app: model.appLabel, threescale_component: component };
  if (element !== undefined) labels.threescale_component_element = element;
  return labels;
}

export function selectorFor(dcName: string): Labels {
  return { deploymentConfig: dcName };
}

/**
 * `com.redhat.component-version` from an image reference: first `\d+\.\d+\.\d+`, else `\d+\.\d+`, else what
 * follows the first `:`, else `\d+`, else `unknown`; emptied when longer than the 63-character label limit.
 */
export function componentVersion(image: string): string {
  const found =
    /\d+\.\d+\.\d+/.exec(image)?.[0] ??
    /\d+\.\d+/.exec(image)?.[0] ??
    (image.includes(':') ? image.slice(image.indexOf(':') + 1) : undefined) ??
    /\d+/.exec(image)?.[0] ??
    'unknown';
  return found.length > 63 ? '' : found;
}

/** Pod-template labels: the object's labels, `deploymentConfig`, and (operator only) metering labels. */
export function podLabels(model: ApiManagerModel, dcName: string, labels: Labels, image: string): Labels {
  const pod: Labels = { ...labels, deploymentConfig: dcName };
  if (model.operatorExtras) {
    pod['com.redhat.product-name'] = '3scale';
    pod['com.redhat.product-version'] = model.release;
    pod['com.redhat.component-name'] = dcName;
    pod['com.redhat.component-type'] = 'application';
    pod['com.redhat.component-version'] = componentVersion(image);
  }
  return pod;
}
