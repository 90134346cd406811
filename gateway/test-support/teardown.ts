/**
 * Teardown for after() hooks. Mocha runs an after() hook even when the before() hook that starts the
 * servers failed part way, so whatever it had not started yet is still unset (the `let x: T` the hooks
 * share only says what it holds once before() succeeded). These stop or close what was started, one
 * after the other, in the order given; the first failure stops the teardown, as it would inline.
 */

/** Something a test starts and stops: a gateway, a fake backend, a fake portal, an upstream. */
export interface Stoppable {
  stop(): Promise<unknown>;
}

/** Something a test starts and closes: an upstream server, a proxy. */
export interface Closable {
  close(): Promise<unknown>;
}

export async function stopAll(...started: (Stoppable | undefined)[]): Promise<void> {
  for (const thing of started) await thing?.stop();
}

export async function closeAll(...started: (Closable | undefined)[]): Promise<void> {
  for (const thing of started) await thing?.close();
}
