// Pod Security "restricted" profile for the containers that run this
// project's own images (the gateway, the operator). The other 3scale
// components keep the originals' settings: their images expect them.
export function restricted(): {
  allowPrivilegeEscalation: false;
  capabilities: { drop: string[] };
  runAsNonRoot: true;
  seccompProfile: { type: 'RuntimeDefault' };
} {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
