/**
 * The keystroke benchmark through the real language server: spawns the bundled server over stdio,
 * initializes it with the workspace folder, waits for the initial scan (its work-done progress
 * ends after every file's diagnostics were sent), then opens one file and times single-character
 * edits from `didChange` to the `publishDiagnostics` of that file at that version.
 */
import * as fs from 'node:fs';
import { CodeLensRequest, CompletionRequest, DefinitionRequest, type Diagnostic, type TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { SERVER_HEAP_FLAGS } from '../../client/src/serverFlags';
import { LspClient } from '../../test/support/lspClient';
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
  /** Per request, from sending to the answer: completion and definition at the edited selector value, the file's code lenses. */
  readonly authoring: AuthoringLatencies;
  /** Edits after which the file's diagnostics differed from the previous ones. */
  readonly toggles: number;
  readonly peakRssMB: number | undefined;
  /** Resident set right after the scan, and after the edits. */
  readonly rssAfterScanMB: number | undefined;
  readonly rssAfterEditsMB: number | undefined;
  readonly errors: readonly string[];
  /** Hovers sent one after another during the scan: how long each waited for its answer. */
  readonly hoverWaits: readonly number[];
}

export interface AuthoringLatencies {
  readonly completion: readonly number[];
  readonly definition: readonly number[];
  readonly codeLens: readonly number[];
  /** Whether each answer was non-empty (a completion list, a location, a lens) on the last run. */
  readonly answered: { readonly completion: boolean; readonly definition: boolean; readonly codeLens: boolean };
}

/** Requests of each authoring kind timed after the edits. */
const AUTHORING_REQUESTS = 50;

const SCAN_TIMEOUT_MS = 15 * 60_000;
const EDIT_TIMEOUT_MS = 30_000;

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
  // The same heap flags the VS Code extension starts the server with (client/src/serverFlags.ts).
  // No editor settings except keeping the generator's answer keys out of the universe.
  const client = await LspClient.launch({
    root,
    nodeArguments: [...SERVER_HEAP_FLAGS, ...profile, serverPath],
    settings: { exclude: [...GENERATOR_OUTPUTS] },
  });
  try {
    return await run(client, target, edits);
  } finally {
    await client.dispose();
  }
}

async function run(client: LspClient, target: EditTarget, edits: number): Promise<ServerRun> {
  const scan = client.waitForScans(1, SCAN_TIMEOUT_MS);
  const hoverWaits = await probeHovers(client, target, scan);
  const indexMs = performance.now() - client.initializedAt;
  const rssAfterScanMB = rssMB(client.pid);
  let diagnostics = 0;
  let filesWithDiagnostics = 0;
  for (const entry of client.diagnostics.values()) {
    diagnostics += entry.diagnostics.length;
    if (entry.diagnostics.length > 0) filesWithDiagnostics++;
  }

  const { relative } = target.file;
  const openStarted = performance.now();
  await client.open(relative, target.file.text);
  let previous: readonly Diagnostic[] = await client.waitForVersion(relative, 1, EDIT_TIMEOUT_MS);
  const openMs = performance.now() - openStarted;

  const latencies: number[] = [];
  let toggles = 0;
  const at = { line: target.line, character: target.character };
  for (let edit = 1; edit <= edits; edit++) {
    // Odd edits type a character at the end of the selector value, even edits delete it again.
    const change: TextDocumentContentChangeEvent =
      edit % 2 === 1
        ? { range: { start: at, end: at }, text: 'x' }
        : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
    const sentAt = performance.now();
    const { version, sent } = client.change(relative, [change]);
    const publication = client.waitForVersion(relative, version, EDIT_TIMEOUT_MS);
    await sent;
    const current = await publication;
    latencies.push(performance.now() - sentAt);
    if (JSON.stringify(current) !== JSON.stringify(previous)) toggles++;
    previous = current;
  }
  const authoring = await measureAuthoring(client, target);
  return {
    indexMs,
    authoring,
    indexLog: client.logs.find((entry) => /^Indexed \d+/.test(entry.message))?.message,
    filesWithDiagnostics,
    diagnostics,
    openMs,
    latencies,
    toggles,
    peakRssMB: peakRssMB(client.pid),
    rssAfterScanMB,
    rssAfterEditsMB: rssMB(client.pid),
    errors: client.errors,
    hoverWaits,
  };
}

/**
 * Sends hovers one after another while the scan runs (each as soon as the previous one is
 * answered) and returns how long each waited for its answer, in ms.
 */
async function probeHovers(client: LspClient, target: EditTarget, scan: Promise<unknown>): Promise<number[]> {
  let done = false;
  void scan.finally(() => {
    done = true;
  });
  const waits: number[] = [];
  while (!done) {
    const sent = performance.now();
    await client.hover(target.file.relative, { line: target.line, character: target.character });
    waits.push(performance.now() - sent);
  }
  await scan;
  return waits;
}

/**
 * Times completion and definition at the edited selector value and the code lenses of its file,
 * one request at a time, after the edits (the file is open and analysed).
 */
async function measureAuthoring(client: LspClient, target: EditTarget): Promise<AuthoringLatencies> {
  const textDocument = { uri: client.uri(target.file.relative) };
  const position = { line: target.line, character: target.character };
  const time = async <T>(request: () => Promise<T>, out: number[]): Promise<T> => {
    const started = performance.now();
    const result = await request();
    out.push(performance.now() - started);
    return result;
  };
  const completion: number[] = [];
  const definition: number[] = [];
  const codeLens: number[] = [];
  const answered = { completion: false, definition: false, codeLens: false };
  for (let request = 0; request < AUTHORING_REQUESTS; request++) {
    const list = await time(() => client.connection.sendRequest(CompletionRequest.type, { textDocument, position }), completion);
    answered.completion = list !== null && (Array.isArray(list) ? list.length : list.items.length) > 0;
    const locations = await time(() => client.connection.sendRequest(DefinitionRequest.type, { textDocument, position }), definition);
    answered.definition = Array.isArray(locations) ? locations.length > 0 : locations !== null;
    const lenses = await time(() => client.connection.sendRequest(CodeLensRequest.type, { textDocument }), codeLens);
    answered.codeLens = (lenses?.length ?? 0) > 0;
  }
  return { completion, definition, codeLens, answered };
}
