/** A fresh namespace per test, so tests never see each other's objects. */
import { randomBytes } from 'node:crypto';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { statusCode } from './errors.js';

/** Creates `<prefix>-<random>` (valid DNS label) and returns its name. */
export async function createNamespace(kc: KubeConfig, prefix = 'test', labels: Record<string, string> = {}): Promise<string> {
  const safePrefix =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 40)
      .replace(/^-+|-+$/g, '') || 'test';
  const name = `${safePrefix}-${randomBytes(4).toString('hex')}`;
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name, labels: { 'tc.test/namespace': 'true', ...labels } } } });
  return name;
}

/** Starts deleting the namespace (the namespace controller removes its objects); ignores one that is already gone. */
export async function deleteNamespace(kc: KubeConfig, name: string): Promise<void> {
  try {
    await kc.makeApiClient(CoreV1Api).deleteNamespace({ name });
  } catch (error) {
    if (statusCode(error) !== 404) throw error;
  }
}

/**
 * Mocha helper: a new namespace before each test of the calling suite, deleted
 * after it. Read `.name` inside the test.
 */
export function namespacePerTest(kubeConfig: () => KubeConfig, prefix = 'test'): { name: string } {
  const current = { name: '' };
  beforeEach(async function () {
    current.name = await createNamespace(kubeConfig(), `${prefix}-${this.currentTest?.title ?? ''}`.slice(0, 30));
  });
  afterEach(async () => {
    if (current.name) await deleteNamespace(kubeConfig(), current.name);
    current.name = '';
  });
  return current;
}
