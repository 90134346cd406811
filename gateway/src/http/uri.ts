/**
 * Request-target handling as nginx does it (gateway.md §4.4, §4.9): split the
 * target, decode and normalize the path ($uri), and re-escape it for matching
 * and for the wire.
 */

/** Splits `/a/b?x=1` into raw path and raw query ('' when none). Absolute-form targets keep their path. */
export function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  if (!rest.startsWith('/')) {
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
    if (match) rest = rest.slice(match[0].length) || '/';
  }
  const q = rest.indexOf('?');
  const hash = rest.indexOf('#');
  const end = hash >= 0 ? hash : rest.length;
  if (q >= 0 && q < end) return { path: rest.slice(0, q), query: rest.slice(q + 1, end) };
  return { path: rest.slice(0, end), query: '' };
}

function percentDecodeBytes(raw: string): string {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  const input = Buffer.from(raw, 'utf8');
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (byte === 0x25 && i + 2 < input.length) {
      const hex = String.fromCharCode(input[i + 1], input[i + 2]);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    bytes.push(byte);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** nginx $uri: percent-decoded, runs of '/' merged, '.' and '..' segments resolved. */
export function normalizePath(rawPath: string): string {
  const decoded = percentDecodeBytes(rawPath || '/');
  const slashed = decoded.replace(/\/{2,}/g, '/');
  // A relative target ("./", "../x") is made absolute first, so its leading dot segments are seen too.
  const merged = slashed.startsWith('/') ? slashed : `/${slashed}`;
  if (!merged.includes('/.')) return merged;
  const out: string[] = [];
  const segments = merged.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '.') {
      if (i === segments.length - 1) out.push('');
      continue;
    }
    if (segment === '..') {
      if (out.length > 1) out.pop();
      if (i === segments.length - 1) out.push('');
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

const HEX = '0123456789ABCDEF';

/** nginx URI escaping of a decoded path: bytes 0x00–0x20, '#', '%', '?', 0x7F–0xFF become %XX. */
export function escapeUri(path: string): string {
  let plain = true;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c === 0x23 || c === 0x25 || c === 0x3f || c >= 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return path;
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    if (byte <= 0x20 || byte === 0x23 || byte === 0x25 || byte === 0x3f || byte >= 0x7f) {
      out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
    } else {
      out += String.fromCharCode(byte);
    }
  }
  return out;
}
