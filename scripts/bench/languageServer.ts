/**
 * The keystroke benchmark through the real language server: spawns the bundled server over stdio,
 * initializes it with the workspace folder, waits for the initial scan (its work-done progress
 * ends after every file's diagnostics were sent), then opens one file and times single-character
 * edits from `didChange` to the `publishDiagnostics` of that file at that version.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  MessageType,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  createProtocolConnection,
  type Diagnostic,
  type InitializeParams,
  type ProtocolConnection,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { GENERATOR_OUTPUTS } from './corpus';
import type { EditTarget } from './editTarget';
import { peakRssMB, rssMB } from './stats';

export interface ServerRun {
  /** From `initialized` to the end of the scan's progress (all diagnostics received). */
  readonly indexMs: number;
  /** The server's own log line about the scan, when it wrote one. */
  readonly indexLog: string | undefined;
  readonly filesWithDiagnostics: number;
  readonly diagnostics: number;
  /** From `didOpen` of the edited file to its diagnostics. */
  readonly openMs: number;
  /** Per edit, from `didChange` to the diagnostics of that version. */
  readonly latencies: readonly number[];
  /** Edits after which the file's diagnostics differed from the previous ones. */
  readonly toggles: number;
  readonly peakRssMB: number | undefined;
  /** Resident set right after the scan, and after the edits. */
  readonly rssAfterScanMB: number | undefined;
  readonly rssAfterEditsMB: number | undefined;
  readonly errors: readonly string[];
}

const SCAN_TIMEOUT_MS = 15 * 60_000;
const EDIT_TIMEOUT_MS = 30_000;

interface Published {
  readonly version: number | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ServerOptions {
  readonly serverPath: string;
  readonly root: string;
  readonly target: EditTarget;
  readonly edits: number;
  /** A folder for a CPU profile of the server (node --cpu-prof), written when it exits. */
  readonly profileDirectory: string | undefined;
}

export async function measureServer(options: ServerOptions): Promise<ServerRun> {
  const { serverPath, root, target, edits, profileDirectory } = options;
  if (!fs.existsSync(serverPath)) {
    throw new Error(`The language server bundle ${serverPath} is missing: run \`npm run build\` first.`);
  }
  const profile = profileDirectory === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDirectory];
  // The same heap flag the VS Code extension starts the server with (client/src/languageClient.ts).
  const child = spawn(process.execPath, ['--max-semi-space-size=2', ...profile, serverPath, '--stdio'], { cwd: root, stdio: 'pipe' });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const session = new Session(child, connection);
  try {
    return await session.run(root, target, edits);
  } finally {
    await session.dispose();
  }
}

class Session {
  private readonly published = new Map<string, Published>();
  private readonly logs: { type: MessageType; message: string }[] = [];
  private readonly listeners = new Set<() => void>();
  private scanEnded = false;
  private exit: string | undefined;
  private stderr = '';

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly connection: ProtocolConnection,
  ) {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    child.on('exit', (code, signal) => {
      this.exit = `exit code ${String(code)}, signal ${String(signal)}`;
      this.notify();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, { version: params.version, diagnostics: params.diagnostics });
      this.notify();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push({ type: params.type, message: params.message });
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'end') {
          this.scanEnded = true;
          this.notify();
        }
      });
    });
    // No editor settings except keeping the generator's answer keys out of the universe.
    connection.onRequest(ConfigurationRequest.type, ({ items }) =>
      items.map((item) => (item.section === 'serviceLens' ? { exclude: [...GENERATOR_OUTPUTS] } : {})),
    );
    connection.listen();
  }

  async run(root: string, target: EditTarget, edits: number): Promise<ServerRun> {
    const rootUri = pathToFileURL(root).href;
    const params: InitializeParams = {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true } },
      },
    };
    await this.connection.sendRequest(InitializeRequest.type, params);
    const started = performance.now();
    await this.connection.sendNotification(InitializedNotification.type, {});
    await this.until('the initial scan', SCAN_TIMEOUT_MS, () => this.scanEnded);
    const indexMs = performance.now() - started;
    const rssAfterScanMB = this.rss();
    let diagnostics = 0;
    let filesWithDiagnostics = 0;
    for (const entry of this.published.values()) {
      diagnostics += entry.diagnostics.length;
      if (entry.diagnostics.length > 0) filesWithDiagnostics++;
    }

    const { uri } = target.file;
    const openStarted = performance.now();
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text: target.file.text },
    });
    let previous = await this.publishedAt(uri, 1);
    const openMs = performance.now() - openStarted;

    const latencies: number[] = [];
    let toggles = 0;
    const at = { line: target.line, character: target.character };
    for (let edit = 1; edit <= edits; edit++) {
      const version = edit + 1;
      // Odd edits type a character at the end of the selector value, even edits delete it again.
      const change: TextDocumentContentChangeEvent =
        edit % 2 === 1
          ? { range: { start: at, end: at }, text: 'x' }
          : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
      const sent = performance.now();
      const publication = this.publishedAt(uri, version);
      await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [change],
      });
      const current = await publication;
      latencies.push(performance.now() - sent);
      if (JSON.stringify(current) !== JSON.stringify(previous)) toggles++;
      previous = current;
    }
    return {
      indexMs,
      indexLog: this.logs.find((entry) => /^Indexed \d+/.test(entry.message))?.message,
      filesWithDiagnostics,
      diagnostics,
      openMs,
      latencies,
      toggles,
      peakRssMB: this.child.pid === undefined ? undefined : peakRssMB(this.child.pid),
      rssAfterScanMB,
      rssAfterEditsMB: this.rss(),
      errors: this.logs.filter((entry) => entry.type === MessageType.Error).map((entry) => entry.message),
    };
  }

  async dispose(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.exit !== undefined) resolve();
      else this.child.once('exit', () => resolve());
    });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
    if (this.exit === undefined) {
      try {
        await Promise.race([
          this.connection.sendRequest(ShutdownRequest.type).then(() => this.connection.sendNotification(ExitNotification.type)),
          timeout,
        ]);
      } catch {
        // A broken connection: the process is killed below.
      }
      await Promise.race([exited, timeout]);
    }
    if (this.exit === undefined) this.child.kill();
    this.connection.dispose();
  }

  private rss(): number | undefined {
    return this.child.pid === undefined ? undefined : rssMB(this.child.pid);
  }

  /** The diagnostics of `uri` published for `version` (they carry the open document's version). */
  private async publishedAt(uri: string, version: number): Promise<readonly Diagnostic[]> {
    const entry = await this.until(`diagnostics of ${uri} at version ${version}`, EDIT_TIMEOUT_MS, () => {
      const current = this.published.get(uri);
      return current?.version === version ? current : undefined;
    });
    return entry.diagnostics;
  }

  private until<T>(what: string, timeoutMs: number, probe: () => T | undefined | false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        if (this.exit !== undefined) {
          finish();
          reject(new Error(`The language server exited (${this.exit}) while waiting for ${what}.\n${this.stderr}`));
          return;
        }
        const value = probe();
        if (value !== undefined && value !== false) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.\n${this.stderr}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
