/**
 * The record of every call the fake answered (or held), and the faults a
 * test asked for. Tokens are taken out of what is recorded: tests assert on
 * what was written, and a recorded call can end up in a failure message.
 */
import type { Fields } from './body.js';

export interface RecordedCall {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters, without `access_token`. */
  query: Record<string, string>;
  /** The parsed body (form or JSON), without `access_token`. */
  body: Fields;
  /** Status answered; 0 for a call held by `hang` (never answered). */
  status: number;
  /** The tenant (provider account id) the token selected; 'master' for the Master API; null when the token was refused. */
  tenant: number | 'master' | null;
  at: number;
}

export interface FailRule {
  status: number;
  /** How many matching calls fail (1 by default). */
  times?: number;
  /** Only calls whose path starts with this. */
  pathPrefix?: string;
  /** Only calls with this method. */
  method?: string;
  /** The JSON answered (`{"error":"Internal Server Error"}`-like by default). */
  body?: unknown;
}

export class Faults {
  private readonly rules: (FailRule & { left: number })[] = [];
  private readonly hung: string[] = [];

  failNext(rule: FailRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }
  hang(pathPrefix: string): void {
    this.hung.push(pathPrefix);
  }
  unhang(): void {
    this.hung.length = 0;
  }
  clear(): void {
    this.rules.length = 0;
    this.hung.length = 0;
  }

  /** The rule this call uses up, if one matches. */
  take(method: string, path: string): FailRule | undefined {
    const index = this.rules.findIndex(
      (r) => (r.pathPrefix === undefined || path.startsWith(r.pathPrefix)) && (r.method === undefined || r.method === method),
    );
    if (index < 0) return undefined;
    const rule = this.rules[index];
    if (--rule.left <= 0) this.rules.splice(index, 1);
    return rule;
  }

  hangs(path: string): boolean {
    return this.hung.some((prefix) => path.startsWith(prefix));
  }
}

export function withoutToken(fields: Fields): Fields {
  const { access_token: _token, ...rest } = fields;
  return rest;
}

export function defaultFailureBody(status: number): unknown {
  return { error: status >= 500 ? 'Internal Server Error' : `injected failure ${status}` };
}
