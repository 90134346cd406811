/**
 * IPv4 addresses and CIDR ranges for ip_check (policies.md §5.15). Host bits
 * of a CIDR are ignored (`1.1.1.0/4` is 0.0.0.0–15.255.255.255), as the
 * original. IPv4 only: IPv4-mapped IPv6 peers (`::ffff:a.b.c.d`) count as IPv4.
 */

export interface Ipv4Range {
  readonly network: number;
  readonly mask: number;
}

/** Parses a dotted-quad address to an unsigned 32-bit number; undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const plain = text.startsWith('::ffff:') ? text.slice(7) : text;
  const parts = plain.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function maskFor(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** `a.b.c.d` or `a.b.c.d/n`; undefined when invalid. */
export function parseIpv4Range(text: string): Ipv4Range | undefined {
  const parts: (string | undefined)[] = text.trim().split('/');
  const [address, bitsText, extra] = parts;
  if (extra !== undefined || address === undefined) return undefined;
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  let bits = 32;
  if (bitsText !== undefined) {
    if (!/^\d{1,2}$/.test(bitsText) || Number(bitsText) > 32) return undefined;
    bits = Number(bitsText);
  }
  const mask = maskFor(bits);
  return { network: (ip & mask) >>> 0, mask };
}

export function rangeContains(range: Ipv4Range, ip: number): boolean {
  return (ip & range.mask) >>> 0 === range.network;
}

export function anyRangeContains(ranges: readonly Ipv4Range[], address: string): boolean {
  const ip = parseIpv4(address);
  if (ip === undefined) return false;
  return ranges.some((range) => rangeContains(range, ip));
}
