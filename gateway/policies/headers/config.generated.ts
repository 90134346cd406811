// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

/**
 * Operation to be applied
 */
export type CommandOp = 'add' | 'set' | 'push' | 'delete';
/**
 * How to evaluate 'value'
 */
export type CommandValueType = 'plain' | 'liquid';

export interface HeadersConfig {
  request?: Command[];
  response?: Command[];
  [k: string]: unknown;
}
export interface Command {
  op: CommandOp;
  /**
   * Header to be modified
   */
  header: string;
  /**
   * Value that will be added, set or pushed in the header. Not needed when deleting.
   */
  value?: string;
  value_type?: CommandValueType;
  [k: string]: unknown;
}
