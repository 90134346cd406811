// Env var constructors matching the notation of operator-objects §0.
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';

export const literal = (name: string, value: string): IEnvVar => ({ name, value });

export const fromSecret = (name: string, secret: string, key: string): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

export const fromOptionalSecret = (name: string, secret: string, key: string): IEnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key, optional: true } },
});

export const fromConfigMap = (name: string, configMap: string, key: string): IEnvVar => ({
  name,
  valueFrom: { configMapKeyRef: { name: configMap, key } },
});

export const fromField = (name: string, fieldPath: string): IEnvVar => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});
