/**
 * Disk access of the server (read only): walking a workspace folder for manifest files and reading
 * one manifest. Symbolic links are followed while their real path stays inside the workspace folder
 * (or everywhere when `followSymlinksOutsideWorkspace` allows), but a directory or file already seen
 * under its real path is not visited twice, so link loops end. Nothing under /proc, /sys or /dev is
 * walked or read. Reading is bounded: see ../io/boundedRead.ts.
 *
 * File system calls are synchronous (for small files far faster than the thread pool round trip);
 * the walk hands the event loop back every few milliseconds so requests are still answered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_FILE_BYTES, errorMessage, formatBytes, isInsidePath, isSystemPath, readBoundedText, realPathOf, type ReadResult } from '../io/boundedRead';
import { isKustomizationFile } from '../engine/kustomize';
import { isManifestName } from './uris';

export { MAX_FILE_BYTES, errorMessage, formatBytes, type ReadResult };

/** Longest stretch of synchronous work before the walk yields to the event loop. */
const YIELD_AFTER_MS = 8;

export interface WalkOptions {
  /** Whether to leave out a directory (absolute path) and everything below it. */
  readonly skipDirectory: (directoryPath: string) => boolean;
  /** Whether to leave out a manifest file (absolute path). */
  readonly skipFile: (filePath: string) => boolean;
  /** Directories that cannot be listed are reported here and skipped. */
  readonly onError: (directoryPath: string, error: unknown) => void;
  /** The link policy: the workspace folder links must stay in, unless following outside is allowed. */
  readonly links: LinkPolicy;
}

export interface LinkPolicy {
  /** The workspace folder (absolute path; its own real path is computed). */
  readonly folder: string;
  /** `serviceLens.followSymlinksOutsideWorkspace`. */
  readonly followOutside: boolean;
  /** A link whose real path leaves the folder, not followed. */
  readonly onOutside: (link: string, target: string) => void;
}

/**
 * Whether the real path of a link (or of a path reached through one) may be entered: never under
 * /proc, /sys or /dev; outside the workspace folder only when the policy allows.
 */
export function mayEnter(policy: LinkPolicy, folderReal: string | undefined, entryPath: string, real: string): boolean {
  const system = isSystemPath(real);
  if (!system && (policy.followOutside || (folderReal !== undefined && isInsidePath(folderReal, real)))) {
    return true;
  }
  if (!policy.followOutside) {
    policy.onOutside(entryPath, real);
  }
  return false;
}

/**
 * Yields the absolute path of every manifest file below `root` (the root itself is never skipped):
 * a folder's files before its subfolders, each in name order, with a kustomization file first.
 * So a file comes after every kustomization above it, and the engine knows, as it reads the file,
 * that a kustomize build may take it (`AnalysisHost`, `FileState.resourceDocuments`).
 */
export async function* walkManifests(root: string, options: WalkOptions): AsyncGenerator<string> {
  const seen = new Set<string>();
  const pending: string[] = [root];
  const folderReal = realPathOf(options.links.folder);
  const rootReal = realPathOf(root);
  if (rootReal === undefined || !mayEnter(options.links, folderReal, root, rootReal)) {
    return; // a folder created as a link to elsewhere
  }
  let lastYield = Date.now();
  for (let directory = pending.pop(); directory !== undefined; directory = pending.pop()) {
    if (Date.now() - lastYield > YIELD_AFTER_MS) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
    const realDirectory = realPathOf(directory);
    if (realDirectory === undefined || seen.has(realDirectory) || isSystemPath(realDirectory)) {
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
    entries.sort((left, right) => {
      const first = Number(isKustomizationFile(right.name)) - Number(isKustomizationFile(left.name));
      return first !== 0 ? first : left.name < right.name ? -1 : left.name > right.name ? 1 : 0;
    });
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const entryPath = path.join(directory, entry.name);
      const kind = entryKind(entry, entryPath);
      if (kind === 'linked-directory' || (kind === 'linked-file' && isManifestName(entry.name))) {
        const target = realPathOf(entryPath);
        if (target === undefined || !mayEnter(options.links, folderReal, entryPath, target)) {
          continue;
        }
      }
      if (kind === 'directory' || kind === 'linked-directory') {
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
      const realFile = kind === 'file' ? path.join(realDirectory, entry.name) : realPathOf(entryPath);
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

/**
 * Reads a manifest as UTF-8 text (without a byte order mark, as editors present it): only a regular
 * file, at most the size limit plus one byte, never under /proc, /sys or /dev.
 */
export function readManifest(filePath: string, maxBytes: number = MAX_FILE_BYTES): ReadResult {
  return readBoundedText(filePath, maxBytes);
}

/**
 * Whether a file of a workspace folder may be read under the link policy: its real path is inside
 * the folder (or following outside is allowed) and not under /proc, /sys or /dev. A file that does
 * not resolve (deleted) may be "read": the read then reports it missing.
 */
export function mayReadInFolder(policy: LinkPolicy, filePath: string): boolean {
  const real = realPathOf(filePath);
  return real === undefined || mayEnter(policy, realPathOf(policy.folder), filePath, real);
}

/** Whether a path exists and is a directory (following links). */
export function isDirectory(filePath: string): boolean {
  try {
    return fs.statSync(filePath).isDirectory();
  } catch {
    return false;
  }
}

function entryKind(entry: fs.Dirent, entryPath: string): 'directory' | 'linked-directory' | 'file' | 'linked-file' | 'other' {
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
    return target.isDirectory() ? 'linked-directory' : target.isFile() ? 'linked-file' : 'other';
  } catch {
    return 'other'; // dangling link
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

