/**
 * statuscode_overwrite (policies.md §5.29): one lookup per response in
 * header_filter, which runs for every response (upstream or gateway error).
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { StatuscodeOverwriteConfig } from './config.generated.js';

const factory: PolicyFactory<StatuscodeOverwriteConfig> = (configuration) => {
  const mappings = configuration.http_statuses ?? [];
  const table = new Map<number, number>();
  // The first mapping of a status wins, as a sequential scan of the list would.
  for (const { upstream, apicast } of mappings) if (!table.has(upstream)) table.set(upstream, apicast);
  return {
    header_filter(ctx: PolicyContext): void {
      const replacement = table.get(ctx.response.status);
      if (replacement !== undefined) ctx.response.status = replacement;
    },
  };
};

export default factory;
