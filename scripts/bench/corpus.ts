/**
 * The measured workspace: generated into a temporary folder (or an existing one reused), the
 * generator's list of planted faults (expected.json), and the manifest files read into memory the
 * way the language server finds them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchOptions } from './options';

/** The generator's own outputs at the workspace root: answer keys, not manifests. Excluded from every measurement. */
export const GENERATOR_OUTPUTS: readonly string[] = ['expected.json', 'expected-links.json'];

export const FAULT_TYPES = [
  'selector-no-match',
  'selector-other-namespace',
  'targetport-numeric-not-exposed',
  'targetport-name-missing',
  'protocol-mismatch',
] as const;

export type FaultType = (typeof FAULT_TYPES)[number];

export interface Fault {
  readonly type: FaultType;
  readonly namespace: string;
  readonly service: string;
  /** Relative to the workspace root, with forward slashes. */
  readonly file: string;
  /** 1-based line of the Service's `name:`. */
  readonly serviceLine: number;
  /** 1-based line the fault points at (selector key, targetPort, protocol or port line). */
  readonly line: number;
}

export interface Expected {
  readonly services: number | undefined;
  readonly seed: string | undefined;
  readonly faults: readonly Fault[];
}

export interface PreparedWorkspace {
  readonly root: string;
  readonly generated: boolean;
  readonly generateMs: number;
  /** Deletes a generated workspace unless it is kept. */
  dispose(): void;
}

export interface ManifestFile {
  /** Relative to the workspace root, with forward slashes. */
  readonly relative: string;
  /** The file URI, spelled as the language server spells it (its file id). */
  readonly uri: string;
  readonly text: string;
  readonly bytes: number;
}

export interface ReadResult {
  readonly files: readonly ManifestFile[];
  readonly bytes: number;
  readonly readMs: number;
}

export function prepareWorkspace(options: BenchOptions): PreparedWorkspace {
  if (options.workspace !== undefined) {
    if (!fs.existsSync(path.join(options.workspace, 'expected.json'))) {
      throw new Error(`${options.workspace} has no expected.json: give a folder written by the workspace generator.`);
    }
    return { root: fs.realpathSync(options.workspace), generated: false, generateMs: 0, dispose: () => undefined };
  }
  if (!fs.existsSync(options.generator)) {
    throw new Error(
      `The workspace generator is missing at ${options.generator}. Run from the repository root with the generator at ../shared/bench/gen-workspace.mjs, or pass --generator <path>.`,
    );
  }
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-bench-')));
  const root = path.join(parent, 'workspace');
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [options.generator, '--out', root, '--services', String(options.services), '--seed', options.seed, '--quiet'],
    { encoding: 'utf8' },
  );
  const generateMs = performance.now() - started;
  const dispose = (): void => {
    if (!options.keep) fs.rmSync(parent, { recursive: true, force: true });
  };
  if (result.status !== 0) {
    dispose();
    throw new Error(`The workspace generator failed (${result.error?.message ?? `exit code ${String(result.status)}`}):\n${result.stderr}`);
  }
  return { root, generated: true, generateMs, dispose };
}

export function readExpected(root: string): Expected {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(root, 'expected.json'), 'utf8'));
  const record = asRecord(raw, 'expected.json');
  const faults = record['faults'];
  if (!Array.isArray(faults)) throw new Error('expected.json has no "faults" array.');
  const params = isRecord(record['params']) ? record['params'] : {};
  const services = typeof params['services'] === 'number' ? params['services'] : undefined;
  const seed = typeof params['seed'] === 'string' || typeof params['seed'] === 'number' ? String(params['seed']) : undefined;
  return { services, seed, faults: faults.map((fault: unknown, index) => toFault(fault, index)) };
}

/**
 * Finds every `*.yaml`, `*.yml` and `*.json` below the root (skipping node_modules, .git and the
 * generator's outputs) and reads it as UTF-8 without a byte order mark, as the server does.
 */
export function readManifests(root: string): ReadResult {
  const started = performance.now();
  const files: ManifestFile[] = [];
  let bytes = 0;
  for (const filePath of walk(root)) {
    const relative = path.relative(root, filePath).split(path.sep).join('/');
    if (GENERATOR_OUTPUTS.includes(relative)) continue;
    const buffer = fs.readFileSync(filePath);
    const text = buffer.toString('utf8');
    bytes += buffer.length;
    files.push({ relative, uri: pathToFileURL(filePath).href, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, bytes: buffer.length });
  }
  return { files, bytes, readMs: performance.now() - started };
}

function* walk(directory: string): Generator<string> {
  const entries = fs.readdirSync(directory, { withFileTypes: true }).sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  for (const entry of entries) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') yield* walk(entryPath);
    } else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) {
      yield entryPath;
    }
  }
}

function toFault(value: unknown, index: number): Fault {
  const where = `expected.json faults[${index}]`;
  const record = asRecord(value, where);
  const type = record['type'];
  if (typeof type !== 'string' || !(FAULT_TYPES as readonly string[]).includes(type)) {
    throw new Error(`${where} has an unknown type ${JSON.stringify(type)}.`);
  }
  return {
    type: type as FaultType,
    namespace: stringField(record, 'namespace', where),
    service: stringField(record, 'service', where),
    file: stringField(record, 'file', where),
    serviceLine: numberField(record, 'serviceLine', where),
    line: numberField(record, 'line', where),
  };
}

function stringField(record: Record<string, unknown>, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Error(`${where} has no string "${key}".`);
  return value;
}

function numberField(record: Record<string, unknown>, key: string, where: string): number {
  const value = record[key];
  if (typeof value !== 'number') throw new Error(`${where} has no number "${key}".`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${where} is not an object.`);
  return value;
}
