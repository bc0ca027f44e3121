/**
 * Drives the bundled language server (dist/server.js) over stdio with a real protocol client, in a
 * temporary copy of a fixture workspace. Everything waits on messages with a timeout; nothing sleeps.
 * Build first (`npm run build`; `npm test` does).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
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
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  type Diagnostic,
  type Hover,
  type InitializeParams,
  type Position,
  type ProtocolConnection,
  type Registration,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceFolder,
} from 'vscode-languageserver-protocol/node';

const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_BUNDLE = path.join(REPOSITORY_ROOT, 'dist', 'server.js');
export const FIXTURES = path.join(REPOSITORY_ROOT, 'test', 'fixtures', 'lsp');

/** Generous: the machine has two cores and tests run two files at a time. */
export const DEFAULT_TIMEOUT_MS = 20_000;

export interface SessionOptions {
  /** Folder under test/fixtures/lsp copied into the temporary workspace. */
  readonly fixture: string;
  /** Workspace folders, relative to the copy (default: the copy itself). */
  readonly folders?: readonly string[];
  /** The `serviceLens` section answered to `workspace/configuration`. */
  readonly settings?: Record<string, unknown>;
  /** The `files.exclude` section. */
  readonly filesExclude?: Record<string, unknown>;
  /** Runs on the copy before the server starts (extra files, links). */
  readonly prepare?: (root: string) => void;
  /**
   * Announce a settings change (`workspace/didChangeConfiguration`) right after `initialized` and
   * again when the server registers for settings changes, as VS Code's language client does with
   * `synchronize.configurationSection`.
   */
  readonly announceSettings?: boolean;
  /** `stdio` (default, `--stdio`) or `ipc` (`--node-ipc`, as the VS Code extension starts it). */
  readonly transport?: 'stdio' | 'ipc';
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

export class LspSession {
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishedDiagnostics>();
  readonly logs: LogEntry[] = [];
  readonly progress: ProgressValue[] = [];
  readonly registrations: Registration[] = [];
  /** `workspace/configuration` requests answered so far. */
  configurationRequests = 0;
  settings: Record<string, unknown>;
  filesExclude: Record<string, unknown>;
  private readonly waiters = new Set<Waiter>();
  private readonly versions = new Map<string, number>();
  private exitDescription: string | undefined;
  private stderr = '';
  private readonly announceSettings: boolean;

  private constructor(
    readonly root: string,
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
    options: SessionOptions,
  ) {
    this.settings = { ...(options.settings ?? {}) };
    this.filesExclude = { ...(options.filesExclude ?? {}) };
    this.announceSettings = options.announceSettings === true;
  }

  /** Copies the fixture, starts the server, initializes it and waits for the initial scan to finish. */
  static async start(options: SessionOptions): Promise<LspSession> {
    if (!fs.existsSync(SERVER_BUNDLE)) {
      throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first.`);
    }
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-lsp-')));
    fs.cpSync(path.join(FIXTURES, options.fixture), root, { recursive: true });
    options.prepare?.(root);
    let child: ChildProcess;
    let connection: ProtocolConnection;
    if (options.transport === 'ipc') {
      child = fork(SERVER_BUNDLE, ['--node-ipc'], { cwd: root, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      const stdio = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { cwd: root, stdio: 'pipe' });
      child = stdio;
      connection = createProtocolConnection(new StreamMessageReader(stdio.stdout), new StreamMessageWriter(stdio.stdin));
    }
    const session = new LspSession(root, child, connection, options);
    session.listen();
    connection.listen();
    await session.initialize(options.folders ?? ['.']);
    return session;
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
      const waiter: Waiter = {
        check: () => {
          if (this.exitDescription !== undefined) {
            clearTimeout(timer);
            this.waiters.delete(waiter);
            reject(new Error(`The server exited (${this.exitDescription}) while waiting for ${description}.\n${this.stderr}`));
            return true;
          }
          let value: T | undefined | null | false;
          try {
            value = probe();
          } catch (error) {
            clearTimeout(timer);
            this.waiters.delete(waiter);
            reject(error instanceof Error ? error : new Error(String(error)));
            return true;
          }
          if (!value) {
            return false;
          }
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(value);
          return true;
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
  waitForVersion(relative: string, version: number): Promise<readonly Diagnostic[]> {
    const uri = this.uri(relative);
    return this.waitFor(`diagnostics of ${relative} at version ${version}`, () => {
      const published = this.diagnostics.get(uri);
      return published?.version === version ? published.diagnostics : undefined;
    });
  }

  /** Number of finished work-done progress reports (scans). */
  get finishedScans(): number {
    return this.progress.filter((value) => value.kind === 'end').length;
  }

  waitForScans(count: number): Promise<number> {
    return this.waitFor(`${count} finished scan(s)`, () => this.finishedScans >= count && this.finishedScans);
  }

  // Editor side -------------------------------------------------------------------------------

  /** Opens a document with the given text (default: the file on disk). Returns its version. */
  async open(relative: string, text?: string, languageId = 'yaml'): Promise<number> {
    const uri = this.uri(relative);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text: text ?? this.read(relative) },
    });
    return 1;
  }

  /** Replaces the whole text of an open document. Returns the new version. */
  async replace(relative: string, text: string): Promise<number> {
    const { uri, version } = this.nextVersion(relative);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /** An incremental edit: replaces the first occurrence of `oldText` in `current` at or after `from` with `newText`. */
  async edit(relative: string, current: string, oldText: string, newText: string, from = 0): Promise<{ version: number; text: string }> {
    const offset = current.indexOf(oldText, from);
    if (offset < 0) {
      throw new Error(`${JSON.stringify(oldText)} is not in the document`);
    }
    const { uri, version } = this.nextVersion(relative);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: positionAt(current, offset), end: positionAt(current, offset + oldText.length) }, text: newText }],
    });
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

  // Client side: settings and the file watcher ------------------------------------------------

  /** Changes settings and tells the server, which asks for them again. */
  async changeSettings(settings: Record<string, unknown>, filesExclude?: Record<string, unknown>): Promise<void> {
    this.settings = { ...settings };
    if (filesExclude) {
      this.filesExclude = { ...filesExclude };
    }
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Adds and removes workspace folders (paths relative to the copy), as the editor reports it. */
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
    await this.notifyWatched(relative, existed ? FileChangeType.Changed : FileChangeType.Created);
  }

  /** Deletes a file or folder on disk and reports only that path, as the editor's watcher does. */
  async deletePath(relative: string): Promise<void> {
    fs.rmSync(this.path(relative), { recursive: true, force: true });
    await this.notifyWatched(relative, FileChangeType.Deleted);
  }

  async notifyWatched(relative: string, type: FileChangeType): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: this.uri(relative), type }] });
  }

  /** Shuts the server down (killing it if it does not exit) and removes the workspace copy. */
  async dispose(): Promise<void> {
    try {
      if (this.exitDescription === undefined) {
        const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, 3_000).unref());
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
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }

  /** Error-level log messages of the server (a failing handler logs one). */
  get errors(): string[] {
    return this.logs.filter((entry) => entry.type === MessageType.Error).map((entry) => entry.message);
  }

  // Internals ----------------------------------------------------------------------------------

  private async initialize(folders: readonly string[]): Promise<void> {
    const workspaceFolders = folders.map((folder) => ({ uri: this.uri(folder), name: path.basename(this.path(folder)) }));
    const params = clientInitializeParams(workspaceFolders);
    await this.connection.sendRequest(InitializeRequest.type, params);
    await this.connection.sendNotification(InitializedNotification.type, {});
    if (this.announceSettings) {
      await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
    await this.waitForScans(1);
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
    return ['Published diagnostics:', ...published, 'Last log messages:', ...logs, this.stderr ? `stderr:\n${this.stderr}` : ''].join('\n');
  }
}

/** Runs `body` with a started session and always disposes of it. */
export async function withSession(options: SessionOptions, body: (session: LspSession) => Promise<void>): Promise<void> {
  const session = await LspSession.start(options);
  try {
    await body(session);
  } finally {
    await session.dispose();
  }
}

/** A diagnostic's message as text (3.18 allows Markdown content). */
/** What a test client declares at `initialize`: the capabilities the server adapts to, as VS Code has them. */
export function clientInitializeParams(workspaceFolders: { uri: string; name: string }[]): InitializeParams {
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
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
      },
    },
  };
}

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
