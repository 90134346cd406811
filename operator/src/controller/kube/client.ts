// The operator's API-server client: undici for requests, @kubernetes/client-node only to read the kubeconfig
// (in-cluster service-account token, or a file) into TLS options and an Authorization header. Every write goes
// through `write()`, which counts it by verb and kind: the "steady state is a no-op" guarantee is measured there.
import { Agent, request } from 'undici';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../desired.js';
import { KubeApiError } from './errors.js';
import { resourcePath, resourceType } from './resources.js';

export type WriteVerb = 'create' | 'update' | 'patch' | 'delete' | 'status';
export type WriteListener = (verb: WriteVerb, kind: string) => void;

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

export const FIELD_MANAGER = 'threescale-operator';

export class KubeClient {
  private constructor(
    private readonly server: string,
    private readonly headers: Record<string, string>,
    private readonly dispatcher: Agent,
    private readonly onWrite: WriteListener,
  ) {}

  static async fromKubeConfig(kc: KubeConfig, onWrite: WriteListener = () => {}): Promise<KubeClient> {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig: no current cluster');
    const options: {
      ca?: Buffer | string;
      cert?: Buffer | string;
      key?: Buffer | string;
      headers?: Record<string, string>;
      rejectUnauthorized?: boolean;
    } = {};
    await kc.applyToHTTPSOptions(options); // client-node fills ca/cert/key/headers in place
    const connect: Record<string, unknown> = {};
    if (options.ca) connect.ca = options.ca;
    if (options.cert) connect.cert = options.cert;
    if (options.key) connect.key = options.key;
    if (cluster.skipTLSVerify) connect.rejectUnauthorized = false;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    const agent = new Agent({ connect, keepAliveTimeout: 30_000, connections: 16 });
    return new KubeClient(cluster.server.replace(/\/$/, ''), headers, agent, onWrite);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  async requestJson<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const response = await request(`${this.server}${path}`, {
      method: method as 'GET',
      dispatcher: this.dispatcher,
      headers: { ...this.headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) {
      let reason = text.slice(0, 300);
      try {
        reason = (JSON.parse(text) as { message?: string }).message ?? reason;
      } catch {
        /* not JSON */
      }
      throw new KubeApiError(response.statusCode, method, path, reason);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  async get<T extends KubeObject>(apiVersion: string, kind: string, namespace: string, name: string): Promise<T> {
    return this.requestJson<T>('GET', resourcePath(resourceType(apiVersion, kind), namespace, name));
  }

  async list<T extends KubeObject>(apiVersion: string, kind: string, namespace: string | undefined, query = ''): Promise<ListResult<T>> {
    const path = resourcePath(resourceType(apiVersion, kind), namespace) + (query ? `?${query}` : '');
    const list = await this.requestJson<{ items: T[]; metadata: { resourceVersion: string } }>('GET', path);
    for (const item of list.items) {
      item.apiVersion = apiVersion;
      item.kind = kind;
    }
    return { items: list.items, resourceVersion: list.metadata.resourceVersion };
  }

  private async write<T>(verb: WriteVerb, kind: string, method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    this.onWrite(verb, kind);
    return this.requestJson<T>(method, path, body, contentType);
  }

  create<T extends KubeObject>(object: T): Promise<T> {
    const type = resourceType(object.apiVersion, object.kind);
    return this.write(
      'create',
      object.kind,
      'POST',
      `${resourcePath(type, object.metadata.namespace)}?fieldManager=${FIELD_MANAGER}`,
      object,
    );
  }

  /** PUT with the object's resourceVersion: a concurrent change by anyone else is a 409, never overwritten. */
  update<T extends KubeObject>(object: T): Promise<T> {
    const type = resourceType(object.apiVersion, object.kind);
    return this.write(
      'update',
      object.kind,
      'PUT',
      `${resourcePath(type, object.metadata.namespace, object.metadata.name)}?fieldManager=${FIELD_MANAGER}`,
      object,
    );
  }

  /** Writes the status subresource (only `status` is taken from the body by the server). */
  updateStatus<T extends KubeObject>(object: T): Promise<T> {
    const type = resourceType(object.apiVersion, object.kind);
    return this.write(
      'status',
      object.kind,
      'PUT',
      `${resourcePath(type, object.metadata.namespace, object.metadata.name, 'status')}?fieldManager=${FIELD_MANAGER}`,
      object,
    );
  }

  mergePatch<T extends KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
    patch: unknown,
    subresource?: string,
  ): Promise<T> {
    const path = resourcePath(resourceType(apiVersion, kind), namespace, name, subresource);
    return this.write(
      subresource === 'status' ? 'status' : 'patch',
      kind,
      'PATCH',
      `${path}?fieldManager=${FIELD_MANAGER}`,
      patch,
      'application/merge-patch+json',
    );
  }

  delete(apiVersion: string, kind: string, namespace: string, name: string, propagationPolicy = 'Background'): Promise<unknown> {
    const path = resourcePath(resourceType(apiVersion, kind), namespace, name);
    return this.write('delete', kind, 'DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy });
  }

  /** Group/versions the server serves (API discovery), e.g. "apps.openshift.io/v1". */
  async servedGroupVersions(): Promise<Set<string>> {
    const groups = await this.requestJson<{ groups: { versions: { groupVersion: string }[] }[] }>('GET', '/apis');
    return new Set(groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion)));
  }
}
