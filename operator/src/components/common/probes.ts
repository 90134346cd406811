// Probe constructors; fields not given are left to the API server defaults, as in the originals.
import type { IProbe } from 'kubernetes-models/v1/Probe';

interface Timing {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export const tcpProbe = (port: number | string, timing: Timing): IProbe => ({ tcpSocket: { port }, ...timing });

export const httpProbe = (
  path: string,
  port: number | string,
  timing: Timing,
  extra: { scheme?: 'HTTP' | 'HTTPS'; headers?: { name: string; value: string }[] } = {},
): IProbe => ({
  httpGet: {
    path,
    port,
    ...(extra.scheme !== undefined ? { scheme: extra.scheme } : {}),
    ...(extra.headers !== undefined ? { httpHeaders: extra.headers } : {}),
  },
  ...timing,
});

export const execProbe = (command: string[], timing: Timing): IProbe => ({ exec: { command }, ...timing });
