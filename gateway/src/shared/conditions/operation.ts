/**
 * One comparison of policies.md §4.2: `==` / `!=` on string forms, `matches`
 * = unanchored RegExp search of `right` in `left`.
 */
import { LRUCache } from 'lru-cache';
import { PolicyConfigurationError } from '../../chain/policy.js';
import { compileTemplateValue, type InvalidLiquidReporter } from '../liquid/index.js';
import { displayString } from '../display-string.js';
import { asError } from '../errors.js';

export type ConditionOp = '==' | '!=' | 'matches';
export const CONDITION_OPS: readonly ConditionOp[] = ['==', '!=', 'matches'];

/** A side of an operation: something that yields a value for a scope. */
export interface Operand {
  /** Configured text (for messages). */
  readonly source: string;
  /** True when the value never depends on the request (lets `matches` compile at load). */
  readonly constant: boolean;
  value(scope: object): unknown;
}

/**
 * Lua `tostring` of a value: how the original compares. A missing value is
 * the string `nil` (quirk kept: a missing header `!=` anything is true).
 */
export function luaString(value: unknown): string {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(14)));
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.length > 0 ? luaString(value[0]) : 'table';
  return displayString(value);
}

/** An operand from configuration text with its `*_type` (plain | liquid). */
export function templateOperand(text: unknown, type: unknown, onInvalid?: InvalidLiquidReporter): Operand {
  const template = compileTemplateValue(text, type, onInvalid);
  return { source: template.source, constant: template.constant, value: (scope) => template.render(scope) };
}

/** Warns at most once per interval per message key, so bad runtime patterns cannot flood the log. */
export type RateLimitedWarn = (key: string, message: string) => void;

export function rateLimitedWarn(sink: (message: string) => void, intervalMs = 10_000): RateLimitedWarn {
  const last = new LRUCache<string, number>({ max: 1000 });
  return (key, message) => {
    const now = Date.now();
    const previous = last.get(key);
    if (previous !== undefined && now - previous < intervalMs) return;
    last.set(key, now);
    sink(message);
  };
}

const runtimePatterns = new LRUCache<string, RegExp | Error>({ max: 2000 });

function runtimeRegExp(pattern: string): RegExp | Error {
  let re = runtimePatterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch (err) {
      re = asError(err);
    }
    runtimePatterns.set(pattern, re);
  }
  return re;
}

export interface CompiledOperation {
  evaluate(scope: object): boolean;
}

export interface OperationSpec {
  left: Operand;
  op: unknown;
  right: Operand;
  /** Field path for errors, e.g. `condition.operations[0]`. */
  field: string;
  /** Where per-request problems (a Liquid-rendered pattern JavaScript rejects) are reported. */
  warn?: RateLimitedWarn;
  /** Name of the right-hand field in this policy's configuration (`right`, `value`). */
  rightName?: string;
}

/**
 * Compiles one operation. A constant `matches` pattern is compiled now: one
 * JavaScript rejects is a PolicyConfigurationError (spec README "regular
 * expressions"). A Liquid-rendered pattern is compiled per request; a bad one
 * makes the operation false and is warned about.
 */
export function compileOperation(spec: OperationSpec): CompiledOperation {
  const { left, right, field } = spec;
  const rightName = spec.rightName ?? 'right';
  switch (spec.op) {
    case '==':
      return { evaluate: (scope) => luaString(left.value(scope)) === luaString(right.value(scope)) };
    case '!=':
      return { evaluate: (scope) => luaString(left.value(scope)) !== luaString(right.value(scope)) };
    case 'matches': {
      if (right.constant) {
        let re: RegExp;
        try {
          re = new RegExp(luaString(right.value({})));
        } catch (err) {
          throw new PolicyConfigurationError(`${field}.${rightName}`, `invalid regular expression: ${(err as Error).message}`);
        }
        return { evaluate: (scope) => re.test(luaString(left.value(scope))) };
      }
      return {
        evaluate(scope) {
          const pattern = luaString(right.value(scope));
          const re = runtimeRegExp(pattern);
          if (re instanceof Error) {
            spec.warn?.(
              `${field}:${pattern}`,
              `${field}.${rightName}: rendered pattern ${JSON.stringify(pattern)} is not a valid regular expression (${re.message}); operation is false`,
            );
            return false;
          }
          return re.test(luaString(left.value(scope)));
        },
      };
    }
    default:
      throw new PolicyConfigurationError(`${field}.op`, `unknown operation ${JSON.stringify(spec.op)} (expected ==, != or matches)`);
  }
}
