/**
 * The SaaS gateway's upstream IP deny-list (gateway.md §9.1): private and
 * reserved IPv4 ranges are refused unless APICAST_BALANCER_WHITELIST (CIDRs,
 * checked first) allows them. Pure.
 */
import { isIP } from 'node:net';

export const BLACKLISTED_RANGES = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '255.255.255.255/32',
];

interface Cidr {
  base: number;
  mask: number;
  text: string;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export class CidrError extends Error {}

export function parseCidr(text: string): Cidr {
  const parts: (string | undefined)[] = text.trim().split('/');
  const [ip, bitsText] = parts;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!ip || isIP(ip) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new CidrError(`"${text}" is not an IPv4 CIDR (a.b.c.d/n)`);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ipv4ToNumber(ip) & mask) >>> 0, mask, text };
}

function contains(cidr: Cidr, ip: string): boolean {
  return (ipv4ToNumber(ip) & cidr.mask) >>> 0 === cidr.base;
}

export class IpBlacklist {
  private readonly denied = BLACKLISTED_RANGES.map(parseCidr);
  private readonly allowed: Cidr[];

  /** @throws CidrError naming the bad whitelist entry. */
  constructor(whitelist: readonly string[]) {
    this.allowed = whitelist.map((entry) => {
      try {
        return parseCidr(entry);
      } catch (error) {
        throw new CidrError(`APICAST_BALANCER_WHITELIST: ${(error as Error).message}`);
      }
    });
  }

  /** True when a connection to `ip` must be refused. Non-IPv4 addresses are not in any listed range. */
  isDenied(ip: string): boolean {
    if (isIP(ip) !== 4) return false;
    if (this.allowed.some((cidr) => contains(cidr, ip))) return false;
    return this.denied.some((cidr) => contains(cidr, ip));
  }
}
