// The CSV's owned-CRD entries of the capabilities.3scale.net kinds, from the same list the CRDs come from.
import { CAPABILITY_KINDS } from '../capabilities/api/kinds.js';
import { CAPABILITIES_GROUP } from '../capabilities/api/common.js';
import { withTopLevelDescriptors } from './descriptors.js';

const SUMMARY: Record<string, string> = {
  Backend: 'A 3scale backend API with its metrics, methods and mapping rules',
  Product: 'A 3scale product with its gateway settings, backends, policies and application plans',
  DeveloperAccount: 'A 3scale developer account',
  DeveloperUser: 'A user of a 3scale developer account',
  Application: 'A developer application subscribed to a product plan',
  ApplicationAuth: 'The credentials of an application',
  ProxyConfigPromote: 'Promotes a product configuration to staging or production',
  ActiveDoc: 'An OpenAPI document on the developer portal',
  CustomPolicyDefinition: 'A custom policy in the 3scale policy registry',
  OpenAPI: 'A product and backend generated from an OpenAPI document',
  Tenant: 'A 3scale tenant created through the Master API',
};

export function capabilityOwnedCrds(): Record<string, unknown>[] {
  return Object.values(CAPABILITY_KINDS).map((k) => ({
    name: `${k.plural}.${CAPABILITIES_GROUP}`,
    version: k.version,
    kind: k.kind,
    displayName: k.kind,
    description: SUMMARY[k.kind] ?? k.kind,
    // Every kind reads Secrets (the account's credentials); OpenAPI also generates Backend and Product CRs.
    resources: [
      { kind: 'Secret', name: '', version: 'v1' },
      ...(k.kind === 'OpenAPI'
        ? [
            { kind: 'Backend', name: '', version: 'v1beta1' },
            { kind: 'Product', name: '', version: 'v1beta1' },
          ]
        : []),
    ],
    specDescriptors: withTopLevelDescriptors(
      k.spec,
      k.kind === 'Tenant' || k.kind === 'ProxyConfigPromote'
        ? []
        : [
            {
              path: 'providerAccountRef',
              displayName: 'Provider Account',
              description: 'Secret with adminURL and token of the 3scale account',
              'x-descriptors': ['urn:alm:descriptor:io.kubernetes:Secret'],
            },
          ],
    ),
    statusDescriptors: [
      {
        path: 'conditions',
        displayName: 'Conditions',
        description: 'Synced, Invalid, Failed and Orphan',
        'x-descriptors': ['urn:alm:descriptor:io.kubernetes.conditions'],
      },
      ...('idField' in k
        ? [
            {
              path: k.idField,
              displayName: '3scale ID',
              description: 'Id of the object in 3scale',
              'x-descriptors': ['urn:alm:descriptor:text'],
            },
          ]
        : []),
    ],
  }));
}
