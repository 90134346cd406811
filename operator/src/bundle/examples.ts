// The `alm-examples` of the CSV: what the OpenShift console pre-fills when a user creates a custom resource.
// Each one must validate against its CRD schema (bundle.test.ts checks it with ajv).
import { SAMPLE_APICAST, SAMPLE_APIMANAGER } from '../deploy/samples.js';
import { CAPABILITY_EXAMPLES } from '../capabilities/api/examples.js';

export const ALM_EXAMPLES: readonly Record<string, unknown>[] = [
  SAMPLE_APIMANAGER,
  {
    apiVersion: 'apps.3scale.net/v1alpha1',
    kind: 'APIManager',
    metadata: { name: 'apimanager-ha' },
    spec: {
      wildcardDomain: 'example.com',
      highAvailability: { enabled: true },
      podDisruptionBudget: { enabled: true },
      apicast: { productionSpec: { replicas: 2 }, stagingSpec: { replicas: 2 } },
    },
  },
  SAMPLE_APICAST,
  ...CAPABILITY_EXAMPLES,
];
