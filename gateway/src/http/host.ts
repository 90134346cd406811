/** nginx $host: the Host header lower-cased without its port (IPv6 literals keep their brackets). */
export function requestHost(hostHeader: string | undefined, fallback = ''): string {
  if (!hostHeader) return fallback;
  const lower = hostHeader.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end < 0 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(':');
  return colon < 0 ? lower : lower.slice(0, colon);
}
