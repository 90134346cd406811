// Sample CRs shipped with the install manifests (also what `make demo` applies).
export const SAMPLE_APIMANAGER = {
  apiVersion: 'apps.3scale.net/v1alpha1',
  kind: 'APIManager',
  metadata: { name: 'example-apimanager' },
  spec: { wildcardDomain: 'example.com' },
};

export const SAMPLE_APICAST_SECRET = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'apicast-portal' },
  // Placeholder credentials: replace TOKEN with an access token of the admin portal (read-only scope).
  stringData: { AdminPortalURL: 'https://TOKEN@3scale-admin.example.com' },
};

export const SAMPLE_APICAST = {
  apiVersion: 'apps.3scale.net/v1alpha1',
  kind: 'APIcast',
  metadata: { name: 'example-apicast' },
  spec: { adminPortalCredentialsRef: { name: 'apicast-portal' } },
};
