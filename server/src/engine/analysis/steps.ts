/**
 * Work in steps. A long update (a scan's link, every overlay built again) is written as a generator
 * that yields between steps of bounded work; the engine has no clock, so a step is counted in
 * objects or builds, and the caller (the language server) decides how many to run before it
 * answers requests. Run without pause, a generator is the synchronous update.
 */

/** Objects (or units) handled between two yields: about a millisecond of linking on a laptop. */
export const STEP_OBJECTS = 256;

/** Steps of work that end with a result of type `T`. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step of `steps`; returns its result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Counts work and says when a step is full (`tick` returns true every `every` calls). */
export class StepCounter {
  private count = 0;

  constructor(private readonly every = STEP_OBJECTS) {}

  tick(): boolean {
    this.count += 1;
    if (this.count < this.every) return false;
    this.count = 0;
    return true;
  }
}
