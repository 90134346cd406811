// Default values of the CR fields (operator.md §1.2, §7.1). Used by the CRD schemas (as `default`, so the API
// server fills them like the original's defaulting step) and by the model layer (for render, no API server).
export const APIMANAGER_DEFAULTS = {
  appLabel: '3scale-api-management',
  tenantName: '3scale',
  imageStreamTagImportInsecure: false,
  resourceRequirementsEnabled: true,
  managementAPI: 'status',
  openSSLVerify: false,
  responseCodes: true,
  registryURL: 'http://apicast-staging:8090/policies',
  replicas: 1,
} as const;

export const APICAST_DEFAULTS = {
  replicas: 1,
  serviceAccount: 'default',
} as const;

/** Product release (ImageStream tag, AMP_RELEASE) and our operator version. */
export const THREESCALE_RELEASE = '2.9';
export const OPERATOR_VERSION = '0.6.0';
