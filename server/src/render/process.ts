/**
 * Runs an external program with bounds: a time limit, a cap on the bytes read from its standard
 * output, and cancellation. The program runs in its own process group (POSIX) so that a timeout
 * or a cancellation ends it and every process it started, such as a wrapper script's children.
 */
import { spawn } from 'node:child_process';

export interface BoundedRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The whole environment of the program (nothing is inherited beyond it). */
  readonly env: Readonly<Record<string, string>>;
  /** Milliseconds before the program is killed. */
  readonly timeoutMs: number;
  /** Bytes of standard output kept; one more byte and the program is killed. */
  readonly maxOutputBytes: number;
}

export type BoundedResult =
  /** The program ran to its end. `exitCode` is null when a signal ended it. */
  | { readonly outcome: 'exited'; readonly exitCode: number | null; readonly stdout: string; readonly stderr: string }
  /** The program could not be started: `code` is the system error code (ENOENT: no such program). */
  | { readonly outcome: 'spawn-error'; readonly code: string; readonly message: string }
  /** Killed by the bound named, with what it had written to standard error so far. */
  | { readonly outcome: 'timeout' | 'too-large' | 'cancelled'; readonly stderr: string };

/**
 * Standard error is kept up to this many bytes from its start and as many from its end: a program
 * may log thousands of lines before its error (helm logs every symbolic link it follows, and
 * prints `Error: …` last), and the error is at one end or the other.
 */
const STDERR_END_BYTES = 32 * 1024;

/**
 * What a program writes to standard error, kept within bounds: the first and the last
 * `STDERR_END_BYTES` bytes. When bytes in between are left out, the text keeps whole lines only:
 * the line cut at the end of the first part and the one cut at the start of the last part go too.
 */
class BoundedText {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private omitted = false;

  add(chunk: Buffer): void {
    if (this.headBytes < STDERR_END_BYTES) {
      const kept = chunk.subarray(0, STDERR_END_BYTES - this.headBytes);
      this.head.push(kept);
      this.headBytes += kept.length;
      chunk = chunk.subarray(kept.length);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes - this.tail[0]!.length >= STDERR_END_BYTES) {
      this.tailBytes -= this.tail.shift()!.length;
      this.omitted = true;
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    let tail = Buffer.concat(this.tail);
    if (this.tailBytes > STDERR_END_BYTES) {
      tail = tail.subarray(this.tailBytes - STDERR_END_BYTES);
      this.omitted = true;
    }
    const last = tail.toString('utf8');
    if (!this.omitted) return head + last;
    const headEnd = head.lastIndexOf('\n');
    const tailStart = last.indexOf('\n');
    return `${head.slice(0, headEnd + 1)}${tailStart < 0 ? '' : last.slice(tailStart + 1)}`;
  }
}

/** Runs `run.command` and resolves once it has exited or has been killed. Never rejects. */
export function runBounded(run: BoundedRun, signal?: AbortSignal): Promise<BoundedResult> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ outcome: 'cancelled', stderr: '' });
      return;
    }
    const child = spawn(run.command, [...run.args], {
      cwd: run.cwd,
      env: run.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that killing -pid reaches its children too.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr = new BoundedText();
    let stdoutBytes = 0;
    let settled = false;

    const finish = (result: BoundedResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const stderrText = () => stderr.text();
    const kill = (outcome: 'timeout' | 'too-large' | 'cancelled') => {
      killTree(child.pid, () => child.kill('SIGKILL'));
      finish({ outcome, stderr: stderrText() });
    };
    const onAbort = () => kill('cancelled');
    const timer = setTimeout(() => kill('timeout'), run.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > run.maxOutputBytes) {
        kill('too-large');
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ outcome: 'spawn-error', code: error.code ?? 'UNKNOWN', message: error.message });
    });
    child.on('close', (exitCode) => {
      finish({ outcome: 'exited', exitCode, stdout: Buffer.concat(stdout).toString('utf8'), stderr: stderrText() });
    });
  });
}

/** Kills the process group of `pid` (POSIX), or the process alone through `fallback`. */
function killTree(pid: number | undefined, fallback: () => void): void {
  if (pid !== undefined && process.platform !== 'win32') {
    try {
      process.kill(-pid, 'SIGKILL');
      return;
    } catch {
      // The group is already gone, or was never made: fall back to the process itself.
    }
  }
  try {
    fallback();
  } catch {
    // Already exited.
  }
}
