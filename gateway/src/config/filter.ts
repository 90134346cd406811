/**
 * Service filters (gateway.md §1.2): APICAST_SERVICES_LIST and
 * APICAST_SERVICES_FILTER_BY_URL add up (union); with neither set every
 * service is kept.
 */
import type { ServiceJson } from './types.js';

export interface ServiceFilter {
  keep(service: ServiceJson): boolean;
}

export function createServiceFilter(list: readonly string[] | undefined, urlPattern: string | undefined): ServiceFilter {
  if (list === undefined && urlPattern === undefined) return { keep: () => true };
  let regex: RegExp | undefined;
  let invalidRegex = false;
  if (urlPattern !== undefined) {
    try {
      regex = new RegExp(urlPattern);
    } catch {
      invalidRegex = true;
    }
  }
  const ids = new Set(list ?? []);
  return {
    keep(service) {
      // An invalid regex keeps no services from parsed configurations (gateway.md §1.2).
      if (invalidRegex) return false;
      if (ids.has(String(service.id ?? 'default'))) return true;
      if (!regex) return false;
      const hosts = service.proxy?.hosts ?? ['localhost'];
      return hosts.some((host) => regex.test(host));
    },
  };
}
