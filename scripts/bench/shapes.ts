/**
 * Workspace shapes beyond the generator's realistic one, where cost used to grow faster than the
 * workspace:
 * - `duplicates`: N identical files, each a Service that matches nothing beside a Deployment
 *   (every Service has the same nearest miss candidates);
 * - `onefile`: N Service/Deployment pairs in one file, every tenth Service's selector off by one
 *   character (a keystroke re-reads the whole file).
 * Each is timed through the CLI (`check`) and the language server (scan, hovers during the scan,
 * keystrokes in the file). Also the warm start: a server with a fact cache against one without.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_HEAP_FLAGS } from '../../client/src/serverFlags';
import { LspClient } from '../../test/support/lspClient';
import { writeShape, type WorkspaceShape } from '../../test/support/shapes';
import { GENERATOR_OUTPUTS, readManifests, type ManifestFile } from './corpus';
import type { EditTarget } from './editTarget';
import { measureServer, type ServerRun } from './languageServer';
import { formatMB, formatMs, percentile, round } from './stats';

export type Shape = 'generated' | WorkspaceShape;
export const SHAPES: readonly Shape[] = ['generated', 'duplicates', 'onefile'];

/** Where keystrokes go: the selector value of the file's first Service (unmatched in both shapes). */
function editTarget(file: ManifestFile): EditTarget {
  const lines = file.text.split('\n');
  const line = lines.findIndex((content) => content.startsWith('    app: '));
  const selectorValue = lines[line]!.slice('    app: '.length);
  return {
    fault: { type: 'selector-no-match', namespace: 'default', service: 'first', file: file.relative, serviceLine: 4, line: line + 1 },
    file,
    line,
    character: lines[line]!.length,
    selectorValue,
  };
}

export interface ShapeOptions {
  readonly shape: WorkspaceShape;
  readonly services: number;
  readonly serverPath: string;
  readonly cliPath: string;
  readonly edits: number;
  readonly skipServer: boolean;
  readonly keep: boolean;
  /** Where the language server writes a CPU profile (node --cpu-prof), when given. */
  readonly profileDirectory: string | undefined;
}

/** Runs one shape: prints figures and returns the JSON summary. */
export async function runShape(options: ShapeOptions): Promise<Record<string, unknown>> {
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-shape-')));
  const root = path.join(parent, 'workspace');
  try {
    writeShape(options.shape, options.services, root);
    const { files, bytes } = readManifests(root);
    console.log(`Shape ${options.shape}: ${options.services} Services in ${files.length} file${files.length === 1 ? '' : 's'}, ${formatMB(bytes)}${options.keep ? `, kept at ${root}` : ''}`);

    const started = performance.now();
    const cli = spawnSync(process.execPath, [options.cliPath, 'check', root, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    const checkMs = performance.now() - started;
    const findings = cli.status === 0 ? (JSON.parse(cli.stdout) as { findings?: unknown[] }).findings?.length : undefined;
    console.log(`  CLI check: ${formatMs(checkMs)} (exit ${String(cli.status)}, ${String(findings)} findings)`);

    let server: ServerRun | undefined;
    if (!options.skipServer) {
      const target = editTarget(files[0]!);
      server = await measureServer({ serverPath: options.serverPath, root, target, edits: options.edits, profileDirectory: options.profileDirectory });
      const waits = server.hoverWaits;
      console.log(`  server scan: ${formatMs(server.indexMs)}; ${server.diagnostics} diagnostics in ${server.filesWithDiagnostics} files; peak RSS ${server.peakRssMB?.toFixed(1) ?? 'n/a'} MB`);
      if (waits.length > 0) console.log(`  ${waits.length} hovers during the scan: p95 ${percentile(waits, 95).toFixed(1)} ms, max ${Math.max(...waits).toFixed(1)} ms`);
      const latencies = server.latencies;
      console.log(`  ${latencies.length} keystrokes in ${target.file.relative}: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
      if (options.profileDirectory !== undefined) console.log(`  CPU profile of the server written to ${options.profileDirectory}`);
      for (const error of server.errors.slice(0, 5)) console.log(`  server error: ${error.split('\n')[0] ?? ''}`);
    }
    return {
      shape: options.shape,
      services: options.services,
      files: files.length,
      bytes,
      checkMs: round(checkMs, 1),
      checkFindings: findings ?? null,
      serverIndexMs: server ? round(server.indexMs, 1) : null,
      hoverWaitMaxMs: server && server.hoverWaits.length > 0 ? round(Math.max(...server.hoverWaits), 1) : null,
      keystrokeP95Ms: server ? round(percentile(server.latencies, 95), 2) : null,
      peakRssMB: server?.peakRssMB === undefined ? null : round(server.peakRssMB, 1),
      loadAverage: round(os.loadavg()[0] ?? 0, 2),
    };
  } finally {
    if (!options.keep) fs.rmSync(parent, { recursive: true, force: true });
  }
}

export interface WarmStart {
  /** From `initialized` to the end of the scan (every diagnostic received), without and with the cache. */
  readonly coldMs: number;
  readonly warmMs: number;
  readonly sameDiagnostics: boolean;
  /** The server's log line on how many files came from the cache. */
  readonly cacheLog: string | undefined;
}

/**
 * The warm start: one server scans with an empty fact cache and writes it; a second server scans
 * with it. Both are timed from `initialized` to the end of the scan's progress, which comes after
 * every diagnostic was sent.
 */
export async function measureWarmStart(serverPath: string, root: string): Promise<WarmStart> {
  const storage = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-storage-')));
  try {
    const cold = await scanOnce(serverPath, root, storage, true);
    const warm = await scanOnce(serverPath, root, storage, false);
    return { coldMs: cold.ms, warmMs: warm.ms, sameDiagnostics: cold.diagnostics === warm.diagnostics, cacheLog: warm.cacheLog };
  } finally {
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

async function scanOnce(serverPath: string, root: string, storage: string, waitForSave: boolean): Promise<{ ms: number; diagnostics: string; cacheLog: string | undefined }> {
  const client = await LspClient.launch({
    root,
    nodeArguments: [...SERVER_HEAP_FLAGS, serverPath],
    settings: { exclude: [...GENERATOR_OUTPUTS] },
    initializationOptions: { storageUri: pathToFileURL(storage).href },
  });
  try {
    await client.waitForScans(1, 15 * 60_000);
    const ms = performance.now() - client.initializedAt;
    const diagnostics = JSON.stringify([...client.diagnostics].map(([uri, entry]) => [uri, entry.diagnostics]).sort(([left], [right]) => ((left as string) < (right as string) ? -1 : 1)));
    if (waitForSave) await client.waitFor('the fact cache written', () => client.logs.some((entry) => /^Fact cache of .* written/.test(entry.message)), 15 * 60_000);
    return { ms, diagnostics, cacheLog: client.logs.find((entry) => /files taken from it/.test(entry.message))?.message };
  } finally {
    await client.dispose();
  }
}
