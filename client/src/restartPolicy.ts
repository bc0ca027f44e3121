/**
 * When the language server crashes, restart it, but not forever: up to `maxRestarts` restarts
 * within `windowMs`; one crash more in that window stops it, and only then is the user told (once,
 * with the way to start it again). Restarts themselves are only logged. Pure logic with an
 * injectable clock, so it is tested without VS Code; languageClient.ts maps it onto the client's
 * error handler.
 */

export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

export type CrashDecision =
  | { readonly action: 'restart'; readonly restart: number; readonly message: string }
  | { readonly action: 'stop'; readonly crashes: number; readonly message: string };

export interface RestartPolicyOptions {
  readonly maxRestarts?: number;
  readonly windowMs?: number;
  /** Milliseconds; defaults to Date.now. */
  readonly now?: () => number;
}

export class RestartPolicy {
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Times of the crashes of the current episode that still lie within the window. */
  private crashes: number[] = [];

  constructor(options: RestartPolicyOptions = {}) {
    this.maxRestarts = options.maxRestarts ?? MAX_RESTARTS;
    this.windowMs = options.windowMs ?? RESTART_WINDOW_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The server's connection closed without being asked to: restart it, or stop for good. After a
   * stop the history is cleared, so a start the user asks for gets the full budget again.
   */
  onCrash(): CrashDecision {
    const now = this.now();
    this.crashes = this.crashes.filter((time) => now - time < this.windowMs);
    this.crashes.push(now);
    const crashes = this.crashes.length;
    const minutes = formatMinutes(this.windowMs);
    if (crashes <= this.maxRestarts) {
      return {
        action: 'restart',
        restart: crashes,
        message: `The Service Lens language server stopped unexpectedly; restarting it (restart ${crashes} of at most ${this.maxRestarts} within ${minutes}).`,
      };
    }
    this.crashes = [];
    return {
      action: 'stop',
      crashes,
      message: `The Service Lens language server crashed ${crashes === 1 ? 'once' : `${crashes} times`} within ${minutes} and will not be restarted. Run "Service Lens: Restart Server" to start it again; the output shows what happened.`,
    };
  }
}

function formatMinutes(milliseconds: number): string {
  const minutes = Math.round(milliseconds / 60_000);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
