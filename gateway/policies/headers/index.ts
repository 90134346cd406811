/**
 * headers — "Header Modification" (policies.md §5.13): request commands in
 * rewrite, response commands in header_filter.
 */
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import type { HeaderMap } from '../../src/http/header-map.js';
import { compileTemplateValue, liquidScope, type TemplateValue } from '../../src/shared/liquid/index.js';
import type { Command as CommandJson, CommandOp as Op, HeadersConfig } from './config.generated.js';

interface Command {
  op: Op;
  header: string;
  value: TemplateValue;
}

/**
 * Applies one command. `before` is what the header held when the phase began
 * for request commands (quirk kept: a second `push` sees the original value,
 * not the first push), or the current values for response commands.
 */
function apply(headers: HeaderMap, command: Command, before: string[], value: string): void {
  switch (command.op) {
    case 'set':
      if (value === '') headers.delete(command.header);
      else headers.set(command.header, value);
      return;
    case 'push':
      headers.set(command.header, [...before, value]);
      return;
    case 'add':
      if (before.length > 0) headers.set(command.header, [...before, value]);
      return;
    case 'delete':
      headers.delete(command.header);
  }
}

const factory: PolicyFactory<HeadersConfig> = (configuration, build) => {
  const compile = (list: CommandJson[] | undefined, field: string): Command[] =>
    (list ?? []).map((c, i) => ({
      op: c.op,
      header: c.header,
      value: compileTemplateValue(c.value, c.value_type, (m) => {
        build.log.warn({ field: `${field}[${i}].value` }, m);
      }),
    }));
  const request = compile(configuration.request, 'request');
  const response = compile(configuration.response, 'response');
  const needsScope = (commands: Command[]) => commands.some((c) => !c.value.constant);

  const policy: Policy = {};
  if (request.length > 0) {
    const liquid = needsScope(request);
    policy.rewrite = (ctx: PolicyContext) => {
      const headers = ctx.request.headers;
      // Every command sees its header's values as they were before any command ran.
      const snapshot = new Map<string, string[]>();
      const before = request.map((command) => {
        const key = command.header.toLowerCase();
        let values = snapshot.get(key);
        if (values === undefined) {
          values = headers.getAll(command.header);
          snapshot.set(key, values);
        }
        return values;
      });
      const scope = liquid ? liquidScope(ctx) : {};
      request.forEach((command, index) => {
        const value = command.op === 'delete' ? '' : command.value.render(scope);
        apply(headers, command, before[index], value);
      });
    };
  }
  if (response.length > 0) {
    const liquid = needsScope(response);
    policy.header_filter = (ctx: PolicyContext) => {
      const headers = ctx.response.headers;
      const scope = liquid ? liquidScope(ctx) : {};
      for (const command of response) {
        const value = command.op === 'delete' ? '' : command.value.render(scope);
        apply(headers, command, headers.getAll(command.header), value);
      }
    };
  }
  return policy;
};

export default factory;
