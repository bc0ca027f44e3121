/**
 * Finds and reads the manifests of one CLI run. Directories are walked for `*.yaml`, `*.yml` and
 * `*.json` (skipping `node_modules` and `.git`, never entering a directory twice so symlink loops
 * end); files named on the command line are read whatever their extension. Binary files (a NUL
 * byte in the first 8 KB) and files over 5 MB are skipped with a note.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];
export const SKIPPED_DIRECTORIES: readonly string[] = ['node_modules', '.git'];
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const BINARY_PROBE_BYTES = 8 * 1024;

export interface LoadedFile {
  /** Absolute path; the engine's fileId. */
  readonly path: string;
  readonly text: string;
}

export interface LoadResult {
  readonly files: readonly LoadedFile[];
  /** Files left out on purpose (binary, too large); printed on stderr. */
  readonly notes: readonly string[];
  /** Paths that do not exist or cannot be read; any of these makes the run an IO error. */
  readonly errors: readonly string[];
}

/** Loads every manifest under `paths` (resolved against `cwd`), each real file once, in a stable order. */
export function loadPaths(paths: readonly string[], cwd: string): LoadResult {
  const loader = new Loader(cwd);
  for (const given of paths) loader.addGiven(given);
  return { files: loader.files, notes: loader.notes, errors: loader.errors };
}

class Loader {
  readonly files: LoadedFile[] = [];
  readonly notes: string[] = [];
  readonly errors: string[] = [];
  /** Real paths of files already loaded and directories already walked. */
  private readonly seenFiles = new Set<string>();
  private readonly seenDirectories = new Set<string>();

  constructor(private readonly cwd: string) {}

  addGiven(given: string): void {
    const absolute = path.resolve(this.cwd, given);
    let stats: fs.Stats;
    try {
      stats = fs.statSync(absolute);
    } catch (error) {
      this.errors.push(describeError(given, error));
      return;
    }
    if (stats.isDirectory()) this.walk(absolute);
    else if (stats.isFile()) this.addFile(absolute, stats);
    else this.errors.push(`${given}: not a file or directory`);
  }

  private walk(directory: string): void {
    const real = this.realPath(directory);
    if (real === undefined || this.seenDirectories.has(real)) return;
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
        if (isManifestName(entry.name)) this.addFile(child, undefined);
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
      return; // A dangling link is not a manifest.
    }
    if (stats.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.includes(name)) this.walk(link);
    } else if (stats.isFile() && isManifestName(name)) {
      this.addFile(link, stats);
    }
  }

  private addFile(file: string, known: fs.Stats | undefined): void {
    const real = this.realPath(file);
    if (real === undefined || this.seenFiles.has(real)) return;
    this.seenFiles.add(real);
    try {
      const size = known?.size ?? fs.statSync(file).size;
      if (size > MAX_FILE_BYTES) {
        this.notes.push(`${this.display(file)}: skipped, larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB`);
        return;
      }
      const bytes = fs.readFileSync(file);
      if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
        this.notes.push(`${this.display(file)}: skipped, binary content`);
        return;
      }
      // TextDecoder drops a UTF-8 byte order mark, as editors do when they open the file.
      this.files.push({ path: file, text: new TextDecoder('utf-8').decode(bytes) });
    } catch (error) {
      this.errors.push(describeError(this.display(file), error));
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

export function isManifestName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((extension) => lower.endsWith(extension));
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
