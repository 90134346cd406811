/**
 * url_rewriting (policies.md §5.36): path substitutions, then query-argument
 * commands, in the rewrite phase. Regexes, options and replacement templates
 * are compiled at load; an invalid one rejects the configuration.
 */
import { PolicyConfigurationError, type PolicyContext, type PolicyFactory } from '../../src/chain/policy.js';
import { compileTemplateValue, liquidScope, type TemplateValue } from '../../src/shared/liquid/index.js';
import type { UrlRewritingConfig } from './config.generated.js';
import { CommandConfigError, compilePathCommand, methodSet, rewritePath, type PathCommand } from './path-commands.js';
import { QueryArgs, type QueryArgOp } from './query-args.js';

interface QueryCommand {
  op: QueryArgOp;
  arg: string;
  value: TemplateValue;
  methods: ReadonlySet<string> | undefined;
}

const factory: PolicyFactory<UrlRewritingConfig> = (configuration, build) => {
  let commands: PathCommand[];
  try {
    commands = (configuration.commands ?? []).map(compilePathCommand);
  } catch (error) {
    if (error instanceof CommandConfigError) throw new PolicyConfigurationError(error.field, error.message.slice(error.field.length + 2));
    throw error;
  }
  const queryCommands: QueryCommand[] = (configuration.query_args_commands ?? []).map((json) => ({
    op: json.op,
    arg: json.arg,
    value: compileTemplateValue(json.value, json.value_type, (message) => {
      build.log.warn(message);
    }),
    methods: methodSet(json.methods),
  }));

  return {
    rewrite(ctx: PolicyContext): void {
      const { request } = ctx;
      if (commands.length > 0) {
        const path = rewritePath(commands, request.path, request.method);
        if (path !== request.path) request.path = path;
      }
      const applicable = queryCommands.filter((c) => !c.methods || c.methods.has(request.method));
      if (applicable.length === 0) return;
      const args = QueryArgs.parse(request.query);
      let scope: Record<string, unknown> | undefined;
      for (const command of applicable) {
        const value = command.value.constant ? command.value.source : command.value.render((scope ??= liquidScope(ctx)));
        args.apply(command.op, command.arg, value);
      }
      // Unchanged arguments keep the client's query string byte-for-byte.
      if (args.changed) request.query = args.serialize();
    },
  };
};

export default factory;
