/**
 * Turns prom-client's text output into the exposition gateway.md §7
 * describes: metrics that never received a value are not printed (except
 * the library error counter, always printed), metrics and samples sorted by
 * their text, and an unlabelled sample of `worker_process` printed as
 * `worker_process{}` like the original. Pure text in, text out.
 */

const ALWAYS_PRINTED = new Set(['nginx_metric_errors_total']);

interface Block {
  name: string;
  help: string;
  type: string;
  samples: string[];
}

export function toGatewayExposition(text: string): string {
  const blocks = new Map<string, Block>();
  let current: Block | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) {
      current = { name: help[1], help: line, type: '', samples: [] };
      blocks.set(current.name, current);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      if (current) current.type = line;
      continue;
    }
    if (line.startsWith('#') || !current) continue;
    current.samples.push(line);
  }
  const out: string[] = [];
  for (const block of [...blocks.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    let samples = block.samples;
    const isCounter = block.type.endsWith(' counter');
    // An unlabelled counter at 0 never received a value: prom-client prints it anyway.
    if (isCounter && !ALWAYS_PRINTED.has(block.name)) samples = samples.filter((s) => !new RegExp(`^${block.name} 0$`).test(s));
    if (samples.length === 0 && !ALWAYS_PRINTED.has(block.name)) continue;
    samples = samples.map(leLast);
    if (block.name === 'worker_process') samples = samples.map((s) => s.replace(/^worker_process /, 'worker_process{} '));
    out.push(block.help, block.type, ...[...samples].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)));
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Samples sort by text, except that `le` bounds sort as numbers (+Inf last) so buckets stay in order. */
function sortKey(sample: string): string {
  return sample.replace(/le="([^"]*)"/, (_m, le: string) => `le="${le === '+Inf' ? '~' : Number(le).toFixed(3).padStart(12, '0')}"`);
}

/** prom-client prints `le` first; gateway.md §7 wants labels in declaration order with `le` last. */
function leLast(sample: string): string {
  return sample.replace(/\{le="([^"]*)",([^}]*)\}/, (_m, le: string, rest: string) => `{${rest},le="${le}"}`);
}
