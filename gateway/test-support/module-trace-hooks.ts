/**
 * Module resolution hooks for tests that must know whether a process loaded
 * a package (the tracing tests: no OpenTelemetry SDK without OPENTELEMETRY).
 * Every resolved `@opentelemetry/` specifier is written to stderr as
 * `module-trace: <specifier>`. Registered by module-trace-register.ts
 * through `NODE_OPTIONS=--import`.
 */
import { writeSync } from 'node:fs';

type Next = (specifier: string, context: unknown) => Promise<unknown>;

export async function resolve(specifier: string, context: unknown, next: Next): Promise<unknown> {
  // writeSync: the hooks run on their own thread, where an async stderr write may be lost at exit.
  if (specifier.startsWith('@opentelemetry/')) writeSync(2, `module-trace: ${specifier}\n`);
  return next(specifier, context);
}
