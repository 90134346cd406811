/**
 * ip_check (policies.md §5.15): denies requests by client IPv4 address in the
 * access phase, with a 403 and the configured message.
 */
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import { clientIp } from './client-ip.js';
import type { IpCheckConfig } from './config.generated.js';
import { anyRangeContains, parseIpv4Range, type Ipv4Range } from './ipv4-ranges.js';

const DEFAULT_ERROR = 'IP address not allowed';

const factory: PolicyFactory<IpCheckConfig> = (config) => {
  const ranges: Ipv4Range[] = config.ips.map((text, index) => {
    const range = parseIpv4Range(text);
    if (!range) throw new PolicyConfigurationError(`ips[${index}]`, `"${text}" is not an IPv4 address or CIDR range`);
    return range;
  });
  const sources = config.client_ip_sources?.length ? config.client_ip_sources : ['last_caller' as const];
  const denyBody = `${config.error_msg ?? DEFAULT_ERROR}\n`;
  const whitelist = config.check_type === 'whitelist';

  return {
    access(ctx: PolicyContext): void {
      const ip = clientIp(sources, {
        forwardedFor: ctx.request.headers.get('X-Forwarded-For'),
        realIp: ctx.request.headers.get('X-Real-IP'),
        // Ours has no PROXY-protocol address on the request yet (reported to the core).
        proxyProtocolAddress: ctx.request.proxyProtocolAddress,
        peerAddress: ctx.request.clientAddress,
      });
      if (ip === undefined) return;
      const listed = anyRangeContains(ranges, ip);
      if (listed !== whitelist) {
        ctx.exit(403, { body: denyBody, headers: { 'Content-Type': 'text/plain' } });
      }
    },
  };
};

export default factory;
