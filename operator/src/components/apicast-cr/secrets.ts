// Validation of the Secrets an APIcast CR references (operator.md §7.1); read-only, findings never carry values.
import type { ApicastModel } from '../../model/types.js';
import type { Finding } from '../common/desired.js';
import { type ApicastSecretRefs, CA_BUNDLE_KEY } from './index.js';
import { gatewayPodParts } from '../gateway-options/index.js';

export interface ReferencedSecret {
  data: Readonly<Record<string, string>>;
  resourceVersion: string;
}

/** An admin portal URL must parse and carry the access token as userinfo. */
export function adminPortalUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'scheme must be http or https';
  if (url.username === '') return 'Access Token required in AdminPortalURL URL';
  return undefined;
}

export function checkApicastSecrets(
  model: ApicastModel,
  lookup: (name: string) => ReferencedSecret | undefined,
): { refs: ApicastSecretRefs; findings: Finding[] } {
  const findings: Finding[] = [];
  const refs: ApicastSecretRefs = {};
  if (model.adminPortalSecret !== undefined) {
    const secret = lookup(model.adminPortalSecret);
    if (secret === undefined) findings.push({ secret: model.adminPortalSecret, reason: 'secret not found' });
    else {
      const key = 'AdminPortalURL' in secret.data ? 'AdminPortalURL' : 'password' in secret.data ? 'password' : undefined;
      if (key === undefined)
        findings.push({
          secret: model.adminPortalSecret,
          key: 'AdminPortalURL',
          reason: "Required key 'AdminPortalURL' (or 'password') not found",
        });
      else {
        const problem = adminPortalUrlProblem(secret.data[key] ?? '');
        if (problem !== undefined) findings.push({ secret: model.adminPortalSecret, key, reason: problem });
        refs.adminPortal = { resourceVersion: secret.resourceVersion, key };
      }
    }
  }
  if (model.embeddedConfigurationSecret !== undefined) {
    const secret = lookup(model.embeddedConfigurationSecret);
    if (secret === undefined) findings.push({ secret: model.embeddedConfigurationSecret, reason: 'secret not found' });
    else if (!('config.json' in secret.data))
      findings.push({ secret: model.embeddedConfigurationSecret, key: 'config.json', reason: "Required key 'config.json' not found" });
    else refs.embeddedConfiguration = { resourceVersion: secret.resourceVersion };
  }
  if (model.caCertificateSecret !== undefined) {
    const secret = lookup(model.caCertificateSecret);
    if (secret === undefined) findings.push({ secret: model.caCertificateSecret, reason: 'secret not found' });
    else if (!(CA_BUNDLE_KEY in secret.data))
      findings.push({ secret: model.caCertificateSecret, key: CA_BUNDLE_KEY, reason: 'key missing' });
  }
  findings.push(...gatewayPodParts(model.gateway, (name) => lookup(name)?.data).findings);
  return { refs, findings };
}
