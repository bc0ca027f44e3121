/**
 * A language server session that the test drives from the first message on: unlike `LspSession`
 * (harness.ts), starting does not wait for the initial scan, so a test can edit, hover and change
 * the disk while the scan runs. It also records `window/showMessage` notices, exposes the server's
 * process id (for its memory), and can start the server from another entry point (a bootstrap
 * that loads the sources through tsx). Nothing sleeps: every wait is on messages, with a timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  type FileEvent,
  type Hover,
  type Position,
  type ProtocolConnection,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { DEFAULT_TIMEOUT_MS, SERVER_BUNDLE, clientInitializeParams, type LogEntry, type ProgressValue, type PublishedDiagnostics } from './harness';

export interface LiveServerOptions {
  /** The workspace (the caller creates and removes it). */
  readonly root: string;
  /** Workspace folders relative to the root (default: the root itself). */
  readonly folders?: readonly string[];
  /** The `serviceLens` section answered to `workspace/configuration`. */
  readonly settings?: Record<string, unknown>;
  /** Node arguments that start the server (default: the bundle, dist/server.js). `--stdio` is added. */
  readonly nodeArguments?: readonly string[];
  /** Extra environment variables of the server process. */
  readonly environment?: Readonly<Record<string, string>>;
}

interface Waiter {
  check(): boolean;
}

export class LiveServer {
  readonly diagnostics = new Map<string, PublishedDiagnostics>();
  readonly logs: LogEntry[] = [];
  /** `window/showMessage` notices, in order. */
  readonly notices: LogEntry[] = [];
  readonly progress: ProgressValue[] = [];
  settings: Record<string, unknown>;
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private exitDescription: string | undefined;
  private stderr = '';

  private constructor(
    readonly root: string,
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    options: LiveServerOptions,
  ) {
    this.settings = { ...(options.settings ?? {}) };
  }

  /** Starts the server and sends `initialize` and `initialized`; does not wait for the scan. */
  static async launch(options: LiveServerOptions): Promise<LiveServer> {
    const nodeArguments = options.nodeArguments ?? [SERVER_BUNDLE];
    if (!options.nodeArguments && !fs.existsSync(SERVER_BUNDLE)) {
      throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first.`);
    }
    const child = spawn(process.execPath, [...nodeArguments, '--stdio'], {
      cwd: options.root,
      stdio: 'pipe',
      env: { ...process.env, ...options.environment },
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const server = new LiveServer(options.root, child, connection, options);
    server.listen();
    connection.listen();
    await server.initialize(options.folders ?? ['.']);
    return server;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('The server process has no id');
    return this.child.pid;
  }

  /** Peak resident memory of the server process so far (VmHWM, Linux), in MB. */
  peakMemoryMB(): number {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    if (!match) throw new Error(`No VmHWM in /proc/${this.pid}/status`);
    return Number(match[1]) / 1024;
  }

  uri(relative: string): string {
    return pathToFileURL(this.path(relative)).href;
  }

  path(relative: string): string {
    return path.join(this.root, relative);
  }

  get scanStarted(): boolean {
    return this.progress.some((value) => value.kind === 'begin');
  }

  get finishedScans(): number {
    return this.progress.filter((value) => value.kind === 'end').length;
  }

  /** Error-level log messages of the server. */
  get errors(): string[] {
    return this.logs.filter((entry) => entry.type === MessageType.Error).map((entry) => entry.message);
  }

  /**
   * Resolves with the first truthy value of `probe`, evaluated now and after every message from the
   * server; rejects after `timeoutMs` or when the server exits.
   */
  waitFor<T>(description: string, probe: () => T | undefined | null | false, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.\nLast log messages:\n${this.lastLogs()}${this.stderr ? `\nstderr:\n${this.stderr}` : ''}`));
      }, timeoutMs);
      const settle = (action: () => void): true => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        action();
        return true;
      };
      const waiter: Waiter = {
        check: () => {
          if (this.exitDescription !== undefined) {
            return settle(() => reject(new Error(`The server exited (${this.exitDescription}) while waiting for ${description}.\n${this.stderr}`)));
          }
          let value: T | undefined | null | false;
          try {
            value = probe();
          } catch (error) {
            return settle(() => reject(error instanceof Error ? error : new Error(String(error))));
          }
          return value ? settle(() => resolve(value)) : false;
        },
      };
      if (!waiter.check()) {
        this.waiters.add(waiter);
      }
    });
  }

  waitForScans(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    return this.waitFor(`${count} finished scan(s)`, () => this.finishedScans >= count && this.finishedScans, timeoutMs);
  }

  /** Opens a document; returns its version (1). */
  async open(relative: string, text: string, languageId = 'yaml'): Promise<number> {
    const uri = this.uri(relative);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return 1;
  }

  /**
   * Sends one change to an open document without waiting for anything; returns the promise of the
   * write and the new version.
   */
  change(relative: string, changes: TextDocumentContentChangeEvent[]): { version: number; sent: Promise<void> } {
    const uri = this.uri(relative);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    return { version, sent: this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes }) };
  }

  hover(relative: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: this.uri(relative) }, position });
  }

  /** Reports disk changes as the editor's file watcher would. */
  async notifyWatched(changes: readonly { relative: string; type: FileChangeType }[]): Promise<void> {
    const events: FileEvent[] = changes.map((change) => ({ uri: this.uri(change.relative), type: change.type }));
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events });
  }

  async changeFolders(added: readonly string[], removed: readonly string[]): Promise<void> {
    const folder = (relative: string) => ({ uri: this.uri(relative), name: path.basename(this.path(relative)) });
    await this.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: added.map(folder), removed: removed.map(folder) } });
  }

  /** Shuts the server down, killing it if it does not exit in time. The workspace is left alone. */
  async dispose(): Promise<void> {
    try {
      if (this.exitDescription === undefined) {
        const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
        await Promise.race([this.connection.sendRequest(ShutdownRequest.type).then(() => this.connection.sendNotification(ExitNotification.type)), timeout]);
        await Promise.race([exited, timeout]);
      }
    } catch {
      // Shutting down a broken server: killed below.
    } finally {
      if (this.exitDescription === undefined) {
        this.child.kill();
      }
      this.connection.dispose();
    }
  }

  private async initialize(folders: readonly string[]): Promise<void> {
    const workspaceFolders = folders.map((folder) => ({ uri: this.uri(folder), name: path.basename(this.path(folder)) }));
    const params = clientInitializeParams(workspaceFolders);
    await this.connection.sendRequest(InitializeRequest.type, params);
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  private listen(): void {
    const { connection, child } = this;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    child.on('exit', (code, signal) => {
      this.exitDescription = `code ${code ?? 'none'}, signal ${signal ?? 'none'}`;
      this.wake();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const count = (this.diagnostics.get(params.uri)?.count ?? 0) + 1;
      this.diagnostics.set(params.uri, { diagnostics: params.diagnostics, version: params.version, count });
      this.wake();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push({ type: params.type, message: params.message });
      this.wake();
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.notices.push({ type: params.type, message: params.message });
      this.wake();
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        this.progress.push(value);
        this.wake();
      });
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'serviceLens' ? this.settings : item.section === 'files.exclude' ? {} : null)));
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      waiter.check();
    }
  }

  private lastLogs(): string {
    return this.logs
      .slice(-10)
      .map((entry) => `  [${entry.type}] ${entry.message.split('\n')[0] ?? ''}`)
      .join('\n');
  }
}
