/**
 * Disk access of the server (read only): walking a workspace folder for manifest files and reading
 * one manifest. Symbolic links are followed, but a directory or file already seen under its real
 * path is not visited twice, so link loops end. Large and binary files are not read as text.
 *
 * File system calls are synchronous (for small files far faster than the thread pool round trip);
 * the walk hands the event loop back every few milliseconds so requests are still answered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isManifestName } from './uris';

/** Files above this size are skipped with a logged reason (generated bundles, dumps). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A NUL byte in this many leading bytes marks a file as binary. */
const BINARY_PROBE_BYTES = 8 * 1024;

/** Longest stretch of synchronous work before the walk yields to the event loop. */
const YIELD_AFTER_MS = 8;

/** Why a manifest is not read: over the size limit, binary, or unreadable (permissions, I/O). */
export type SkipCause = 'too-large' | 'binary' | 'unreadable';

export type ReadResult =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skipped'; readonly cause: SkipCause; readonly reason: string }
  | { readonly kind: 'missing' };

export interface WalkOptions {
  /** Whether to leave out a directory (absolute path) and everything below it. */
  readonly skipDirectory: (directoryPath: string) => boolean;
  /** Whether to leave out a manifest file (absolute path). */
  readonly skipFile: (filePath: string) => boolean;
  /** Directories that cannot be listed are reported here and skipped. */
  readonly onError: (directoryPath: string, error: unknown) => void;
}

/** Yields the absolute path of every manifest file below `root` (the root itself is never skipped), in name order. */
export async function* walkManifests(root: string, options: WalkOptions): AsyncGenerator<string> {
  const seen = new Set<string>();
  const pending: string[] = [root];
  let lastYield = Date.now();
  for (let directory = pending.pop(); directory !== undefined; directory = pending.pop()) {
    if (Date.now() - lastYield > YIELD_AFTER_MS) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
    const realDirectory = realPath(directory);
    if (realDirectory === undefined || seen.has(realDirectory)) {
      continue;
    }
    seen.add(realDirectory);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      options.onError(directory, error);
      continue;
    }
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const entryPath = path.join(directory, entry.name);
      const kind = entryKind(entry, entryPath);
      if (kind === 'directory') {
        if (!options.skipDirectory(entryPath)) {
          subdirectories.push(entryPath);
        }
        continue;
      }
      if (kind !== 'file' && kind !== 'linked-file') {
        continue;
      }
      if (!isManifestName(entry.name) || options.skipFile(entryPath)) {
        continue;
      }
      // A plain file's real path follows from its folder's; only links need resolving.
      const realFile = kind === 'file' ? path.join(realDirectory, entry.name) : realPath(entryPath);
      if (realFile === undefined || seen.has(realFile)) {
        continue;
      }
      seen.add(realFile);
      yield entryPath;
      if (Date.now() - lastYield > YIELD_AFTER_MS) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    // Depth first, in name order: pop takes the last pushed, so push in reverse.
    pending.push(...subdirectories.reverse());
  }
}

/** Reads a manifest as UTF-8 text (without a byte order mark, as editors present it). */
export function readManifest(filePath: string, maxBytes: number = MAX_FILE_BYTES): ReadResult {
  try {
    const stats = fs.statSync(filePath);
    if (!stats.isFile()) {
      return { kind: 'missing' };
    }
    if (stats.size > maxBytes) {
      return { kind: 'skipped', cause: 'too-large', reason: `larger than ${formatBytes(maxBytes)} (${formatBytes(stats.size)})` };
    }
    const bytes = fs.readFileSync(filePath);
    if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
      return { kind: 'skipped', cause: 'binary', reason: 'binary content (NUL byte)' };
    }
    const text = bytes.toString('utf8');
    return { kind: 'text', text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (error) {
    if (isMissing(error)) {
      return { kind: 'missing' };
    }
    return { kind: 'skipped', cause: 'unreadable', reason: `unreadable (${errorMessage(error)})` };
  }
}

/** Whether a path exists and is a directory (following links). */
export function isDirectory(filePath: string): boolean {
  try {
    return fs.statSync(filePath).isDirectory();
  } catch {
    return false;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function entryKind(entry: fs.Dirent, entryPath: string): 'directory' | 'file' | 'linked-file' | 'other' {
  if (entry.isDirectory()) {
    return 'directory';
  }
  if (entry.isFile()) {
    return 'file';
  }
  if (!entry.isSymbolicLink()) {
    return 'other';
  }
  try {
    const target = fs.statSync(entryPath);
    return target.isDirectory() ? 'directory' : target.isFile() ? 'linked-file' : 'other';
  } catch {
    return 'other'; // dangling link
  }
}

function realPath(filePath: string): string | undefined {
  try {
    return fs.realpathSync.native(filePath);
  } catch {
    return undefined;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function formatBytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
