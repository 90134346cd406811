/**
 * Teardowns registered by shared test fixtures (e.g. the one test cluster of a
 * run), run by the root hook after every suite, last registered first.
 */
const teardowns: Array<() => Promise<void>> = [];

export function registerTeardown(teardown: () => Promise<void>): void {
  teardowns.push(teardown);
}

export async function runTeardowns(): Promise<void> {
  const failures: string[] = [];
  for (let t = teardowns.pop(); t; t = teardowns.pop()) {
    try {
      await t();
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  if (failures.length > 0) throw new Error(`teardown failed: ${failures.join('; ')}`);
}
