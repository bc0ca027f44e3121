/**
 * code-server (VS Code's server and web workbench), from tools/code-server, in a fresh state
 * folder: its own HOME, temp, config, data, user data (with seeded settings) and extensions
 * folders, the marketplace disabled. Started on a free port on 127.0.0.1 and stopped by its PID.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/paths';

export const CODE_SERVER_FOLDER = path.join(REPO_ROOT, 'tools', 'code-server');
const ENTRY = path.join(CODE_SERVER_FOLDER, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/**
 * Settings of a quiet, predictable workbench. Files are never saved behind the test's back:
 * unsaved edits (an applied fix, a rename) stay unsaved until a step saves or reverts them.
 */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'editor.hover.delay': 100,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'files.autoSave': 'off',
  'git.enabled': false,
};

export function codeServerInstalled(): boolean {
  return existsSync(ENTRY);
}

/** The folders of one code-server instance. TMPDIR stays short: it holds unix sockets. */
export class StateFolders {
  readonly home: string;
  readonly temp: string;
  readonly userData: string;
  readonly extensions: string;

  constructor(readonly root: string) {
    this.home = path.join(root, 'home');
    this.temp = path.join(root, 'tmp');
    this.userData = path.join(root, 'user-data');
    this.extensions = path.join(root, 'extensions');
    for (const folder of [this.home, this.temp, this.userData, this.extensions, path.join(this.userData, 'User')]) {
      mkdirSync(folder, { recursive: true });
    }
    writeFileSync(path.join(this.userData, 'User', 'settings.json'), `${JSON.stringify(USER_SETTINGS, null, 2)}\n`);
  }

  environment(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
    return {
      ...process.env,
      EXTENSIONS_GALLERY: '{}',
      HOME: this.home,
      TMPDIR: this.temp,
      XDG_CONFIG_HOME: path.join(this.root, 'config'),
      XDG_DATA_HOME: path.join(this.root, 'data'),
      XDG_CACHE_HOME: path.join(this.root, 'cache'),
      ...extra,
    };
  }
}

function requireInstalled(): void {
  if (!codeServerInstalled()) {
    throw new Error(`code-server is not installed in ${CODE_SERVER_FOLDER}: run \`npm run setup\` (the test setup installs it).`);
  }
}

/** `code-server --install-extension <vsix>` into the state's extensions folder. */
export function installExtension(state: StateFolders, vsix: string): string {
  requireInstalled();
  const result = spawnSync(
    process.execPath,
    [ENTRY, '--user-data-dir', state.userData, '--extensions-dir', state.extensions, '--install-extension', vsix, '--force'],
    { env: state.environment({}), encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw new Error(`code-server --install-extension could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`code-server --install-extension failed (exit ${result.status ?? result.signal}):\n${output}`);
  return output;
}

export interface RunningCodeServer {
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Everything it printed so far. */
  output(): string;
  /** Kills it by PID and waits for it to exit. */
  stop(): Promise<void>;
}

const LISTENING = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)\//;
/** Longer than any test run; only reached when the test process died without stopping the server. */
const MAXIMUM_LIFETIME_SECONDS = 20 * 60;
/** How long the processes of a stopped server get to exit before they are killed. */
const STOP_GRACE_MS = 10_000;

/** Starts code-server on a free port (port 0; the port is read from its log) and waits until it answers. */
export async function startCodeServer(state: StateFolders, environment: Readonly<Record<string, string>>, timeoutMs: number): Promise<RunningCodeServer> {
  requireInstalled();
  // Under `timeout`: it leads a process group holding code-server, its extension hosts and their
  // language servers, forwards our SIGTERM to the whole group, and ends the group by itself should
  // this process die before stopping it.
  const child = spawn(
    'timeout',
    [
      '--kill-after=10',
      String(MAXIMUM_LIFETIME_SECONDS),
      process.execPath,
      ENTRY,
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--user-data-dir',
      state.userData,
      '--extensions-dir',
      state.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { env: state.environment(environment), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error('code-server did not start');
  const server = { child, pid: child.pid, output: () => output, exited };
  try {
    const port = await listeningPort(child, () => output, timeoutMs);
    const origin = `http://127.0.0.1:${port}`;
    await healthy(origin, timeoutMs);
    return { pid: server.pid, port, origin, output: server.output, stop: () => stop(server) };
  } catch (error) {
    await stop(server);
    throw error;
  }
}

function listeningPort(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`code-server did not report its port within ${timeoutMs / 1000} s:\n${output()}`)), timeoutMs);
    const check = (): void => {
      const match = LISTENING.exec(output());
      if (match) done(undefined, Number(match[1]));
    };
    const onExit = (code: number | null): void => done(new Error(`code-server exited (${code}) before listening:\n${output()}`));
    function done(error: Error | undefined, port?: number): void {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port!);
    }
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

/** `/healthz` answers once the server accepts requests (it does so right after listening). */
async function healthy(origin: string, timeoutMs: number): Promise<void> {
  const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`code-server /healthz answered ${response.status}`);
}

/**
 * SIGTERM to `timeout` (the PID we started), which passes it to its process group; then waits until
 * no process of that group is left, so nothing writes into the state folder any more. Whatever is
 * still running after the grace period is killed.
 */
async function stop(server: { readonly child: ChildProcess; readonly pid: number; readonly exited: Promise<void> }): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) process.kill(server.pid, 'SIGTERM');
  await server.exited;
  if (!(await groupGone(server.pid, STOP_GRACE_MS))) {
    signalGroup(server.pid, 'SIGKILL');
    await groupGone(server.pid, STOP_GRACE_MS);
  }
}

function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false; // ESRCH: no process is left in the group
  }
}

/** Polls (every 50 ms) until the process group is empty; false when time runs out first. */
function groupGone(group: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise<boolean>((resolve) => {
    const check = (): void => {
      if (!signalGroup(group, 0)) resolve(true);
      else if (Date.now() >= deadline) resolve(false);
      else setTimeout(check, 50);
    };
    check();
  });
}
