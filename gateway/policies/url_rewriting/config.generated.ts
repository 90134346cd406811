// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

/**
 * sub replaces the first match, gsub every match
 */
export type UrlRewritingCommandOp = 'sub' | 'gsub';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
/**
 * Request methods the command applies to (empty: all)
 */
export type Methods = Method[];
export type UrlRewritingQueryArgsCommandOp = 'add' | 'set' | 'push' | 'delete';
export type UrlRewritingQueryArgsCommandValueType = 'plain' | 'liquid';

export interface UrlRewritingConfig {
  /**
   * Substitutions applied to the path, in order
   */
  commands?: UrlRewritingCommand[];
  /**
   * Changes to the query arguments, in order
   */
  query_args_commands?: UrlRewritingQueryArgsCommand[];
  [k: string]: unknown;
}
export interface UrlRewritingCommand {
  op: UrlRewritingCommandOp;
  /**
   * Regular expression searched in the path
   */
  regex: string;
  /**
   * Replacement; $0 is the match, $1 or ${1} a capture group
   */
  replace: string;
  /**
   * Regex options: i, x, m, s, u (j and o are accepted and ignored)
   */
  options?: string;
  /**
   * Stop after this command when it changed the path
   */
  break?: boolean;
  methods?: Methods;
  [k: string]: unknown;
}
export interface UrlRewritingQueryArgsCommand {
  op: UrlRewritingQueryArgsCommandOp;
  /**
   * Query argument name
   */
  arg: string;
  /**
   * Value (not used by delete)
   */
  value?: string;
  value_type?: UrlRewritingQueryArgsCommandValueType;
  methods?: Methods;
  [k: string]: unknown;
}
