/**
 * Changes "as if made in the admin UI": straight into the state, bumping
 * updated_at, never recorded as API calls. Drift tests use them to change
 * things behind the operator's back and then check it puts them back.
 */
import type { Collection } from './collection.js';
import { deployToStaging, latestConfig, promote } from './proxy-config.js';
import type { FakeSettings } from './router.js';
import type { CollectionName, MappingRuleRow, PolicyEntry, ProxyConfigRow, ProxyRow, Tenant } from './state.js';

/** The row type of a tenant's table. */
type RowOf<K extends CollectionName> = Tenant[K] extends Collection<infer R> ? R : never;

export class AdminUi {
  constructor(
    private readonly tenant: Tenant,
    private readonly settings: FakeSettings,
  ) {}

  /** Any row of any table: the generic drift. Throws when the row does not exist (a test bug). */
  patch<K extends CollectionName>(kind: K, id: number, fields: Record<string, unknown>): RowOf<K> {
    const table = this.tenant.collection(kind);
    if (!table.get(id)) throw new Error(`adminUi.patch: no ${kind} ${id}`);
    return table.update(id, fields) as RowOf<K>;
  }

  /** Deletes one row only (no cascade): what a UI delete of a leaf object does. */
  remove(kind: CollectionName, id: number): void {
    if (!this.tenant.collection(kind).delete(id)) throw new Error(`adminUi.remove: no ${kind} ${id}`);
  }

  updateMappingRule(
    id: number,
    fields: Partial<Pick<MappingRuleRow, 'pattern' | 'http_method' | 'delta' | 'metric_id' | 'last' | 'position'>>,
  ): MappingRuleRow {
    return this.patch('mappingRules', id, fields);
  }

  updateProxy(serviceId: number, fields: Partial<ProxyRow>): ProxyRow {
    const proxy = this.tenant.proxies.find((p) => p.service_id === serviceId);
    if (!proxy) throw new Error(`adminUi.updateProxy: no proxy for service ${serviceId}`);
    return this.tenant.proxies.update(proxy.id, fields);
  }

  setPolicyChain(serviceId: number, chain: PolicyEntry[]): void {
    const row = this.tenant.policyChains.find((p) => p.service_id === serviceId);
    if (!row) throw new Error(`adminUi.setPolicyChain: no service ${serviceId}`);
    this.tenant.policyChains.update(row.id, { chain });
  }

  /** "Promote to staging" in the UI: a new staging version when the content changed. */
  deploy(serviceId: number): ProxyConfigRow | undefined {
    const service = this.tenant.services.get(serviceId);
    if (!service) throw new Error(`adminUi.deploy: no service ${serviceId}`);
    return deployToStaging(this.tenant, service, this.settings);
  }

  /** "Promote to production" of the latest staging version. */
  promoteLatest(serviceId: number): ProxyConfigRow {
    const latest = latestConfig(this.tenant, serviceId, 'sandbox');
    if (!latest) throw new Error(`adminUi.promoteLatest: service ${serviceId} has no staging config`);
    const result = promote(this.tenant, latest, 'production');
    if (result === 'taken') throw new Error(`adminUi.promoteLatest: version ${latest.version} is in production already`);
    return result;
  }
}
