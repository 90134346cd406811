/**
 * Where ip_check reads the client address from (policies.md §5.15): the
 * configured sources, tried in order; the first yielding a value wins.
 */

export type ClientIpSource = 'X-Forwarded-For' | 'X-Real-IP' | 'proxy_protocol_addr' | 'last_caller';

export interface ClientIpInputs {
  /** First X-Forwarded-For header line, if any. */
  forwardedFor: string | undefined;
  realIp: string | undefined;
  proxyProtocolAddress: string | undefined;
  /** TCP peer address. */
  peerAddress: string | undefined;
}

/** First comma element, trimmed, with a `:port` suffix removed (IPv4 `a.b.c.d:port` only). */
export function firstForwardedFor(header: string): string | undefined {
  const first = header.split(',')[0]?.trim();
  if (!first) return undefined;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(first);
  return withPort ? withPort[1] : first;
}

export function clientIp(sources: readonly ClientIpSource[], inputs: ClientIpInputs): string | undefined {
  for (const source of sources) {
    let value: string | undefined;
    switch (source) {
      case 'X-Forwarded-For':
        value = inputs.forwardedFor ? firstForwardedFor(inputs.forwardedFor) : undefined;
        break;
      case 'X-Real-IP':
        value = inputs.realIp?.trim() || undefined;
        break;
      case 'proxy_protocol_addr':
        value = inputs.proxyProtocolAddress || undefined;
        break;
      case 'last_caller':
        value = inputs.peerAddress || undefined;
        break;
    }
    if (value) return value;
  }
  return undefined;
}
