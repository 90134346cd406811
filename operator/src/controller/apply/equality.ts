// Semantic comparison of a desired value with what the API server returns. The server canonicalises resource
// quantities ("1000m" → "1", "0.5Gi" → "512Mi") and drops empty objects/lists, so a byte comparison would make
// every pass write again; steady state must be a no-op.

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;
const SUFFIX: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a Kubernetes quantity string, or undefined when it is not one. */
export function quantityValue(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const base = Number(match[1]);
  if (match[2]) return base * 10 ** Number(match[2].slice(1));
  return base * (match[3] ? (SUFFIX[match[3]] ?? 1) : 1);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isEmpty);
  return false;
}

export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (typeof a === 'string' && typeof b === 'string') {
    if (a === b) return true;
    const qa = quantityValue(a);
    const qb = quantityValue(b);
    return qa !== undefined && qb !== undefined && Math.abs(qa - qb) <= Math.abs(qa) * 1e-9;
  }
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => semanticEqual(item, b[index]));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (!semanticEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return a === b;
}

/**
 * True when every field the desired value sets has the same (semantic) value in the live value. Fields only the
 * live value has are the API server's defaults (a secret volume's `defaultMode`, a fieldRef's `apiVersion`,
 * a container's `terminationMessagePath` …): counting them as differences would make every pass write again.
 * Lists must have the same length; their elements compare the same way.
 */
export function desiredSatisfied(desired: unknown, live: unknown): boolean {
  if (desired === undefined || desired === null) return isEmpty(live);
  if (Array.isArray(desired)) {
    if (desired.length === 0) return isEmpty(live);
    return Array.isArray(live) && live.length === desired.length && desired.every((item, index) => desiredSatisfied(item, live[index]));
  }
  if (typeof desired === 'object') {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) return isEmpty(desired);
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) =>
      desiredSatisfied(value, (live as Record<string, unknown>)[key]),
    );
  }
  return semanticEqual(desired, live);
}
