/**
 * Long work (the scan, many watched-file events) gives the event loop back between small steps,
 * so requests (hover, diagnostics, previews) are answered while it runs: the steps are the changes
 * the server hands the engine, and the steps of one large change (`applyChangeInSteps`: linking
 * the scan's load, building every overlay).
 */

/** Work longer than this between turns of the event loop delays requests noticeably. */
export const STEP_MS = 20;

/** Resolves on a later turn of the event loop, after pending I/O (requests) is handled. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Yields when the work since the last yield took longer than `STEP_MS`. */
export class Pacer {
  private last = performance.now();

  async pause(): Promise<void> {
    if (performance.now() - this.last < STEP_MS) {
      return;
    }
    await nextTurn();
    this.last = performance.now();
  }
}
