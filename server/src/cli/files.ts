/**
 * Finds and reads the manifests of one CLI run. Directories are walked for `*.yaml`, `*.yml`,
 * `*.json` and kustomizations named `Kustomization` (skipping `node_modules` and `.git`, never entering a directory twice so symlink loops
 * end); files named on the command line are read whatever their extension. Each path given is a
 * workspace of its own: a link below it whose real path leaves it is not followed (noted once)
 * unless `followSymlinksOutside`. Nothing under /proc, /sys or /dev is walked or read, only regular
 * files are read, and never more than 5 MB + 1 byte whatever `stat` says; binary files (a NUL byte
 * in the first 8 KB) and files over 5 MB are skipped with a note.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isManifestName } from '../io/manifestNames';
import { MAX_FILE_BYTES, isInsidePath, isSystemPath, notUtf8Message, outsideLinkMessage, readBoundedText, realPathOf, type FileStamp } from '../io/boundedRead';

export { MAX_FILE_BYTES };
export const SKIPPED_DIRECTORIES: readonly string[] = ['node_modules', '.git'];

export interface LoadedFile {
  /** Absolute path; the engine's fileId. */
  readonly path: string;
  readonly text: string;
  /** Size and modification time when read (the fact cache's key). */
  readonly stamp: FileStamp;
  /** When it was read, in ms since the epoch. */
  readonly readAt: number;
}

export interface LoadResult {
  readonly files: readonly LoadedFile[];
  /** Files left out on purpose (binary, too large, links leaving their workspace); printed on stderr. */
  readonly notes: readonly string[];
  /** Paths that do not exist or cannot be read; any of these makes the run an IO error. */
  readonly errors: readonly string[];
  /** The folders given (absolute): every manifest below them is among `files` (`Change.folders`). */
  readonly folders: readonly string[];
}

export interface LoadOptions {
  /** `--follow-symlinks-outside`: follow links whose real path leaves the path given. */
  readonly followSymlinksOutside: boolean;
}

/** Loads every manifest under `paths` (resolved against `cwd`), each real file once, in a stable order. */
export function loadPaths(paths: readonly string[], cwd: string, options: LoadOptions = { followSymlinksOutside: false }): LoadResult {
  const loader = new Loader(cwd, options);
  for (const given of paths) loader.addGiven(given);
  return { files: loader.files, notes: loader.notes, errors: loader.errors, folders: loader.folders };
}

class Loader {
  readonly files: LoadedFile[] = [];
  readonly notes: string[] = [];
  readonly errors: string[] = [];
  readonly folders: string[] = [];
  /** Real paths of files already loaded and directories already walked. */
  private readonly seenFiles = new Set<string>();
  private readonly seenDirectories = new Set<string>();
  /** Real path of the path argument being walked: links must stay inside it. */
  private workspace = '';

  constructor(
    private readonly cwd: string,
    private readonly options: LoadOptions,
  ) {}

  addGiven(given: string): void {
    const absolute = path.resolve(this.cwd, given);
    let stats: fs.Stats;
    try {
      stats = fs.statSync(absolute);
    } catch (error) {
      this.errors.push(describeError(given, error));
      return;
    }
    this.workspace = realPathOf(absolute) ?? absolute;
    if (isSystemPath(this.workspace)) this.errors.push(`${given}: under /proc, /sys or /dev, not read`);
    else if (stats.isDirectory()) {
      this.folders.push(absolute);
      this.walk(absolute);
    }
    else if (stats.isFile()) this.addFile(absolute);
    else this.errors.push(`${given}: not a file or directory`);
  }

  private walk(directory: string): void {
    const real = this.realPath(directory);
    if (real === undefined || this.seenDirectories.has(real) || isSystemPath(real)) return;
    this.seenDirectories.add(real);

    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      this.errors.push(describeError(this.display(directory), error));
      return;
    }
    entries.sort((left, right) => compareNames(left.name, right.name));
    for (const entry of entries) {
      const child = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.includes(entry.name)) this.walk(child);
      } else if (entry.isFile()) {
        if (isManifestName(entry.name)) this.addFile(child);
      } else if (entry.isSymbolicLink()) {
        this.followLink(child, entry.name);
      }
    }
  }

  private followLink(link: string, name: string): void {
    let stats: fs.Stats;
    try {
      stats = fs.statSync(link);
    } catch {
      return; // A dangling link (or a loop) is not a manifest.
    }
    const wanted = stats.isDirectory() ? !SKIPPED_DIRECTORIES.includes(name) : isManifestName(name);
    if (!wanted) return;
    const target = realPathOf(link);
    if (target === undefined) return;
    const inside = isInsidePath(this.workspace, target);
    if (isSystemPath(target) || !(inside || this.options.followSymlinksOutside)) {
      if (!inside) this.notes.push(outsideLinkMessage(this.display(link), target));
      return;
    }
    if (stats.isDirectory()) this.walk(link);
    else this.addFile(link);
  }

  private addFile(file: string): void {
    const real = this.realPath(file);
    if (real === undefined || this.seenFiles.has(real)) return;
    this.seenFiles.add(real);
    const result = readBoundedText(file, MAX_FILE_BYTES);
    switch (result.kind) {
      case 'text':
        this.files.push({ path: file, text: result.text, stamp: result.stamp, readAt: Date.now() });
        if (result.notUtf8) this.notes.push(notUtf8Message(this.display(file), result.notUtf8));
        return;
      case 'missing':
        this.errors.push(`${this.display(file)}: no such file or directory`);
        return;
      case 'skipped':
        if (result.cause === 'unreadable') this.errors.push(`${this.display(file)}: ${result.reason}`);
        else this.notes.push(`${this.display(file)}: skipped, ${result.cause === 'too-large' ? `larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB` : result.reason}`);
        return;
    }
  }

  private realPath(file: string): string | undefined {
    try {
      return fs.realpathSync(file);
    } catch (error) {
      this.errors.push(describeError(this.display(file), error));
      return undefined;
    }
  }

  private display(file: string): string {
    return path.relative(this.cwd, file) || '.';
  }
}

/** Code-unit order, so the walk is the same on every machine and locale. */
function compareNames(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function describeError(display: string, error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  switch (code) {
    case 'ENOENT':
      return `${display}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${display}: permission denied`;
    default:
      return `${display}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
