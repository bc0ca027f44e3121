import type * as vscode from 'vscode';

export interface WaitOptions<T> {
  /** What is awaited, for the timeout message. */
  readonly description: string;
  /** The value once the condition holds, else undefined. Checked at once and after every event. */
  readonly check: () => T | undefined;
  /** Events after which the condition may have changed. */
  readonly events: readonly vscode.Event<unknown>[];
  readonly timeoutMs: number;
  /** The state when time runs out, for the message. */
  readonly explain?: () => string;
}

/** Resolves with the first value `check` returns after an event (or at once); rejects on timeout. */
export function waitFor<T>(options: WaitOptions<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const subscriptions: vscode.Disposable[] = [];
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const subscription of subscriptions) subscription.dispose();
      action();
    };
    const evaluate = (): void => {
      try {
        const value = options.check();
        if (value !== undefined) finish(() => resolve(value));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const timer = setTimeout(() => {
      const state = options.explain ? `\n${options.explain()}` : '';
      finish(() => reject(new Error(`Timed out after ${options.timeoutMs / 1000} s waiting for ${options.description}.${state}`)));
    }, options.timeoutMs);
    for (const event of options.events) subscriptions.push(event(evaluate));
    evaluate();
  });
}
