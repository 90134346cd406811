export { compileCondition, combine, ALWAYS, STANDARD_FIELDS, LOGGING_FIELDS } from './condition.js';
export type { CompiledCondition, CombineOp, ConditionOptions, OperationFieldNames } from './condition.js';
export { compileOperation, templateOperand, luaString, rateLimitedWarn, CONDITION_OPS } from './operation.js';
export type { Operand, CompiledOperation, ConditionOp, OperationSpec, RateLimitedWarn } from './operation.js';
