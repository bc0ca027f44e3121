/**
 * The one protocol client that drives the language server over stdio (or Node IPC, as the VS Code
 * extension starts it) for the LSP tests (test/lsp) and the benchmark (scripts/bench). It records
 * what the server sends (diagnostics, log messages, notices, progress, registrations), answers
 * `workspace/configuration` from its settings, and waits on messages with a timeout: nothing sleeps.
 * It knows no repository paths, so the bench bundle can use it: the caller names the server's entry.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  IPCMessageReader,
  IPCMessageWriter,
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
  type Diagnostic,
  type FileEvent,
  type Hover,
  type InitializeParams,
  type Position,
  type ProtocolConnection,
  type Registration,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';

/** Generous: the machine has two cores and tests run two files at a time. */
export const DEFAULT_TIMEOUT_MS = 20_000;

export interface LspClientOptions {
  /** The workspace (the caller creates and removes it); the server's working directory. */
  readonly root: string;
  /**
   * Node arguments that start the server: flags, then the entry point (the bundle dist/server.js, or
   * a bootstrap). `--stdio` (or `--node-ipc`) is added.
   */
  readonly nodeArguments: readonly string[];
  /** Workspace folders relative to the root (default: the root itself). */
  readonly folders?: readonly string[];
  /** The `serviceLens` section answered to `workspace/configuration`. */
  readonly settings?: Record<string, unknown>;
  /** The `files.exclude` section. */
  readonly filesExclude?: Record<string, unknown>;
  /** Extra environment variables of the server process. */
  readonly environment?: Readonly<Record<string, string>>;
  /** `stdio` (default, `--stdio`) or `ipc` (`--node-ipc`, as the VS Code extension starts it). */
  readonly transport?: 'stdio' | 'ipc';
  /**
   * Announce a settings change (`workspace/didChangeConfiguration`) right after `initialized` and
   * again when the server registers for settings changes, as VS Code's language client does with
   * `synchronize.configurationSection`.
   */
  readonly announceSettings?: boolean;
  /** `initializationOptions` of `initialize` (the extension sends its storage folder there). */
  readonly initializationOptions?: Record<string, unknown>;
}

export interface LogEntry {
  readonly type: MessageType;
  readonly message: string;
}

export type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface PublishedDiagnostics {
  readonly diagnostics: readonly Diagnostic[];
  readonly version: number | undefined;
  /** How many times this URI was published. */
  readonly count: number;
}

interface Waiter {
  check(): boolean;
}

export class LspClient {
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishedDiagnostics>();
  readonly logs: LogEntry[] = [];
  /** `window/showMessage` notices, in order. */
  readonly notices: LogEntry[] = [];
  readonly progress: ProgressValue[] = [];
  readonly registrations: Registration[] = [];
  settings: Record<string, unknown>;
  filesExclude: Record<string, unknown>;
  /** `workspace/codeLens/refresh` requests answered so far. */
  codeLensRefreshes = 0;
  /** `workspace/configuration` requests answered so far. */
  configurationRequests = 0;
  private readonly announceSettings: boolean;
  private readonly initializationOptions: Record<string, unknown> | undefined;
  /** `performance.now()` when `initialized` was sent: the server starts its scan then. */
  initializedAt = Number.NaN;
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private exitDescription: string | undefined;
  private stderr = '';

  protected constructor(
    readonly root: string,
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    options: LspClientOptions,
  ) {
    this.settings = { ...(options.settings ?? {}) };
    this.filesExclude = { ...(options.filesExclude ?? {}) };
    this.announceSettings = options.announceSettings === true;
    this.initializationOptions = options.initializationOptions;
    this.listen();
    connection.listen();
  }

  /** Starts the server and sends `initialize` and `initialized`; does not wait for the scan. */
  static async launch(options: LspClientOptions): Promise<LspClient> {
    const { child, connection } = LspClient.spawnServer(options);
    const client = new LspClient(options.root, child, connection, options);
    try {
      await client.initialize(options.folders ?? ['.']);
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return client;
  }

  /** Starts the server process and connects to it. */
  protected static spawnServer(options: LspClientOptions): { child: ChildProcess; connection: ProtocolConnection } {
    const env = { ...process.env, ...options.environment };
    if (options.transport === 'ipc') {
      const child = spawn(process.execPath, [...options.nodeArguments, '--node-ipc'], { cwd: options.root, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      return { child, connection: createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child)) };
    }
    const child = spawn(process.execPath, [...options.nodeArguments, '--stdio'], { cwd: options.root, env, stdio: 'pipe' });
    return { child, connection: createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin)) };
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

  read(relative: string): string {
    return fs.readFileSync(this.path(relative), 'utf8');
  }

  /** Latest diagnostics of a file (empty when none were published). */
  diagnosticsOf(relative: string): readonly Diagnostic[] {
    return this.diagnostics.get(this.uri(relative))?.diagnostics ?? [];
  }

  codesOf(relative: string): string[] {
    return this.diagnosticsOf(relative).map((diagnostic) => String(diagnostic.code));
  }

  get scanStarted(): boolean {
    return this.progress.some((value) => value.kind === 'begin');
  }

  /** Number of finished work-done progress reports (scans). */
  get finishedScans(): number {
    return this.progress.filter((value) => value.kind === 'end').length;
  }

  /** Error-level log messages of the server (a failing handler logs one). */
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
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.\n${this.describeState()}`));
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

  /** Waits until the diagnostics of a file satisfy `predicate`. */
  waitForDiagnostics(relative: string, description: string, predicate: (diagnostics: readonly Diagnostic[]) => boolean): Promise<readonly Diagnostic[]> {
    const uri = this.uri(relative);
    return this.waitFor(`diagnostics of ${relative}: ${description}`, () => {
      const published = this.diagnostics.get(uri);
      return published && predicate(published.diagnostics) ? published.diagnostics : undefined;
    });
  }

  /** Waits for a publication of an open document at exactly `version`. */
  waitForVersion(relative: string, version: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<readonly Diagnostic[]> {
    const uri = this.uri(relative);
    return this.waitFor(
      `diagnostics of ${relative} at version ${version}`,
      () => {
        const published = this.diagnostics.get(uri);
        return published?.version === version ? published.diagnostics : undefined;
      },
      timeoutMs,
    );
  }

  waitForScans(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    return this.waitFor(`${count} finished scan(s)`, () => this.finishedScans >= count && this.finishedScans, timeoutMs);
  }

  // Editor side -------------------------------------------------------------------------------

  /** Opens a document with the given text (default: the file on disk). Returns its version (1). */
  async open(relative: string, text?: string, languageId = 'yaml'): Promise<number> {
    const uri = this.uri(relative);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text: text ?? this.read(relative) },
    });
    return 1;
  }

  /**
   * Sends changes to an open document without waiting for anything; returns the new version and the
   * promise of the write.
   */
  change(relative: string, changes: TextDocumentContentChangeEvent[]): { version: number; sent: Promise<void> } {
    const { uri, version } = this.nextVersion(relative);
    return { version, sent: this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes }) };
  }

  /** Replaces the whole text of an open document. Returns the new version. */
  async replace(relative: string, text: string): Promise<number> {
    const { version, sent } = this.change(relative, [{ text }]);
    await sent;
    return version;
  }

  /** An incremental edit: replaces the first occurrence of `oldText` in `current` at or after `from` with `newText`. */
  async edit(relative: string, current: string, oldText: string, newText: string, from = 0): Promise<{ version: number; text: string }> {
    const offset = current.indexOf(oldText, from);
    if (offset < 0) {
      throw new Error(`${JSON.stringify(oldText)} is not in the document`);
    }
    const range = { start: positionAt(current, offset), end: positionAt(current, offset + oldText.length) };
    const { version, sent } = this.change(relative, [{ range, text: newText }]);
    await sent;
    return { version, text: current.slice(0, offset) + newText + current.slice(offset + oldText.length) };
  }

  async close(relative: string): Promise<void> {
    const uri = this.uri(relative);
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  hover(relative: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: this.uri(relative) }, position });
  }

  /** Hover text as a string (Markdown), or undefined when the server had nothing. */
  async hoverText(relative: string, position: Position): Promise<string | undefined> {
    const hover = await this.hover(relative, position);
    if (!hover) {
      return undefined;
    }
    const { contents } = hover;
    if (typeof contents === 'string') {
      return contents;
    }
    if (Array.isArray(contents)) {
      return contents.map((part) => (typeof part === 'string' ? part : part.value)).join('\n');
    }
    return contents.value;
  }

  // Client side: settings, folders and the file watcher ---------------------------------------

  /** Changes settings and tells the server, which asks for them again. */
  async changeSettings(settings: Record<string, unknown>, filesExclude?: Record<string, unknown>): Promise<void> {
    this.settings = { ...settings };
    if (filesExclude) {
      this.filesExclude = { ...filesExclude };
    }
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Adds and removes workspace folders (paths relative to the root), as the editor reports it. */
  async changeFolders(added: readonly string[], removed: readonly string[]): Promise<void> {
    const folder = (relative: string): WorkspaceFolder => ({ uri: this.uri(relative), name: path.basename(this.path(relative)) });
    await this.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
      event: { added: added.map(folder), removed: removed.map(folder) },
    });
  }

  /** Writes a file on disk and reports it as the editor's file watcher would. */
  async writeFile(relative: string, text: string): Promise<void> {
    const existed = fs.existsSync(this.path(relative));
    fs.mkdirSync(path.dirname(this.path(relative)), { recursive: true });
    fs.writeFileSync(this.path(relative), text);
    await this.notifyWatched([{ relative, type: existed ? FileChangeType.Changed : FileChangeType.Created }]);
  }

  /** Deletes a file or folder on disk and reports only that path, as the editor's watcher does. */
  async deletePath(relative: string): Promise<void> {
    fs.rmSync(this.path(relative), { recursive: true, force: true });
    await this.notifyWatched([{ relative, type: FileChangeType.Deleted }]);
  }

  /** Reports disk changes as the editor's file watcher would. */
  async notifyWatched(changes: readonly { relative: string; type: FileChangeType }[]): Promise<void> {
    const events: FileEvent[] = changes.map((change) => ({ uri: this.uri(change.relative), type: change.type }));
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events });
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

  // Internals ----------------------------------------------------------------------------------

  /** Sends `initialize` with `clientInitializeParams`, then `initialized` (noting when). */
  protected async initialize(folders: readonly string[]): Promise<void> {
    const workspaceFolders = folders.map((folder) => ({ uri: this.uri(folder), name: path.basename(this.path(folder)) }));
    await this.connection.sendRequest(InitializeRequest.type, { ...clientInitializeParams(workspaceFolders), initializationOptions: this.initializationOptions });
    this.initializedAt = performance.now();
    await this.connection.sendNotification(InitializedNotification.type, {});
    if (this.announceSettings) {
      await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
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
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      if (this.announceSettings && params.registrations.some((registration) => registration.method === DidChangeConfigurationNotification.method)) {
        void connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      }
      this.wake();
    });
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.codeLensRefreshes += 1;
      setImmediate(() => this.wake());
    });
    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests += 1;
      setImmediate(() => this.wake());
      return params.items.map((item) => {
        if (item.section === 'serviceLens') {
          return this.settings;
        }
        if (item.section === 'files.exclude') {
          return this.filesExclude;
        }
        return null;
      });
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      waiter.check();
    }
  }

  private nextVersion(relative: string): { uri: string; version: number } {
    const uri = this.uri(relative);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    return { uri, version };
  }

  private describeState(): string {
    const published = [...this.diagnostics].map(
      ([uri, value]) => `  ${path.relative(this.root, new URL(uri).pathname)} v${value.version ?? '-'}: ${value.diagnostics.map((diagnostic) => diagnostic.code).join(', ') || '(none)'}`,
    );
    const logs = this.logs.slice(-10).map((entry) => `  [${entry.type}] ${entry.message.split('\n')[0] ?? ''}`);
    return ['Published diagnostics:', ...published.slice(0, 50), 'Last log messages:', ...logs, this.stderr ? `stderr:\n${this.stderr}` : ''].join('\n');
  }
}

/** What the client declares at `initialize`: the capabilities the server adapts to, as VS Code has them. */
export function clientInitializeParams(workspaceFolders: WorkspaceFolder[]): InitializeParams {
  return {
    processId: process.pid,
    rootUri: workspaceFolders[0]?.uri ?? null,
    workspaceFolders,
    capabilities: {
      window: { workDoneProgress: true },
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
        codeLens: { refreshSupport: true },
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
        completion: { completionItem: { snippetSupport: false } },
        rename: { prepareSupport: true },
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
      },
    },
  };
}

/** A diagnostic's message as text (3.18 allows Markdown content). */
export function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** The 0-based line/character (UTF-16) of an offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The position of the `occurrence`-th (0-based) appearance of `needle` in `text`, plus `shift` characters. */
export function positionOf(text: string, needle: string, occurrence = 0, shift = 0): Position {
  let offset = -1;
  for (let index = 0; index <= occurrence; index++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) {
      throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times`);
    }
  }
  return positionAt(text, offset + shift);
}
