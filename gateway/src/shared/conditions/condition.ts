/**
 * Conditions of policies.md §4.2: a list of operations combined with `and`
 * (default; empty ⇒ true) or `or` (empty ⇒ false). Compiled once per
 * configuration load; evaluated per request against a Liquid scope.
 */
import { PolicyConfigurationError } from '../../chain/policy.js';
import type { InvalidLiquidReporter } from '../liquid/index.js';
import { compileOperation, templateOperand, type CompiledOperation, type ConditionOp, type RateLimitedWarn } from './operation.js';

export type CombineOp = 'and' | 'or';

export interface CompiledCondition {
  evaluate(scope: object): boolean;
}

/** A condition that always holds (missing optional `condition`). */
export const ALWAYS: CompiledCondition = { evaluate: () => true };

/** Field names of an operation; they differ per policy (§4.2). */
export interface OperationFieldNames {
  left: string;
  leftType: string;
  right: string;
  rightType: string;
}

export const STANDARD_FIELDS: OperationFieldNames = { left: 'left', leftType: 'left_type', right: 'right', rightType: 'right_type' };
/** logging's condition. */
export const LOGGING_FIELDS: OperationFieldNames = { left: 'match', leftType: 'match_type', right: 'value', rightType: 'value_type' };

export interface ConditionOptions {
  /** Path of the condition in the configuration, for errors (`rules[0].condition`). */
  field: string;
  names?: OperationFieldNames;
  /** Operators this policy's schema allows (conditional: only == and !=). */
  allowedOps?: readonly ConditionOp[];
  onInvalidLiquid?: InvalidLiquidReporter;
  warn?: RateLimitedWarn;
}

/** Combines compiled operations (exported for policies with custom operands: routing, jwt_claim_check). */
export function combine(operations: CompiledOperation[], combineOp: unknown, field: string): CompiledCondition {
  const op = combineOp === undefined || combineOp === null ? 'and' : combineOp;
  if (op === 'and') {
    return { evaluate: (scope) => operations.every((o) => o.evaluate(scope)) };
  }
  if (op === 'or') {
    return { evaluate: (scope) => operations.some((o) => o.evaluate(scope)) };
  }
  throw new PolicyConfigurationError(`${field}.combine_op`, `unknown combine operation ${JSON.stringify(combineOp)} (expected and or or)`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Compiles `{combine_op, operations[]}`. `undefined`/`null` ⇒ {@link ALWAYS}.
 * A present condition without an `operations` array is refused (the original's
 * constructor crashed on it; spec README "policy construction").
 */
export function compileCondition(config: unknown, options: ConditionOptions): CompiledCondition {
  if (config === undefined || config === null) return ALWAYS;
  const { field } = options;
  if (!isRecord(config)) throw new PolicyConfigurationError(field, 'must be an object');
  const names = options.names ?? STANDARD_FIELDS;
  const list = config['operations'];
  if (!Array.isArray(list)) throw new PolicyConfigurationError(`${field}.operations`, 'is required (an array of operations)');
  const operations = list.map((raw, index) => {
    const opField = `${field}.operations[${index}]`;
    if (!isRecord(raw)) throw new PolicyConfigurationError(opField, 'must be an object');
    if (options.allowedOps !== undefined && !options.allowedOps.includes(raw['op'] as ConditionOp)) {
      throw new PolicyConfigurationError(`${opField}.op`, `must be one of ${options.allowedOps.join(', ')}`);
    }
    return compileOperation({
      left: templateOperand(raw[names.left], raw[names.leftType], options.onInvalidLiquid),
      op: raw['op'],
      right: templateOperand(raw[names.right], raw[names.rightType], options.onInvalidLiquid),
      field: opField,
      rightName: names.right,
      ...(options.warn ? { warn: options.warn } : {}),
    });
  });
  return combine(operations, config['combine_op'], field);
}
