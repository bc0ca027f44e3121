/**
 * The fact cache: what each manifest file says (its facts, engine/facts/factsJson.ts), kept on
 * disk between sessions so that a warm start reads and parses only the files that changed.
 *
 * One cache file per workspace folder (the server, in the extension's storage) or per cache
 * folder (the CLI's `--cache DIR`). Its first line is a header: the format, the engine (a hash of
 * the running program, so any other build ignores it), the settings that change facts
 * (`podTemplatePaths`), the scope it belongs to, and the length and SHA-256 of the body that
 * follows. Each entry is keyed by path, size and modification time. A cache that is corrupt,
 * truncated, foreign (another engine, settings or scope) or malformed is ignored as a whole, and
 * an entry whose facts are not well-formed is ignored alone: the file is read again. Entries of
 * files modified within the last 2 seconds before they were read are not kept (a later write
 * within the same timestamp granularity would go unnoticed).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FACTS_FORMAT, factsFromJson, factsToJson, type FactsJson } from '../engine/facts/factsJson';
import type { FileFacts } from '../engine/facts/fileFacts';
import { errorMessage, type FileStamp } from './boundedRead';

/** What a cache must have been written for to be used. */
export interface CacheKey {
  /** Settings that change facts, as canonical JSON. */
  readonly settings: string;
  /** The workspace folder (or cache folder) the cache belongs to. */
  readonly scope: string;
}

interface Header {
  readonly format: string;
  readonly engine: string;
  readonly settings: string;
  readonly scope: string;
  readonly bytes: number;
  readonly sha256: string;
}

interface Entry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly facts: FactsJson;
}

const FORMAT = `service-lens-facts/${FACTS_FORMAT}`;
/** A cache larger than this is not read (it would cost more than reading the files). */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;
/** Files modified this recently before they were read are not cached. */
const RACY_MS = 2000;

let engineHash: string | undefined;

/** A hash of the running program: a cache written by another build of the engine is foreign. */
export function engineVersion(): string {
  if (engineHash === undefined) {
    try {
      engineHash = createHash('sha256').update(fs.readFileSync(__filename)).digest('hex').slice(0, 32);
    } catch {
      engineHash = `unknown-${process.pid}-${Date.now()}`; // never matches a cache written before
    }
  }
  return engineHash;
}

/** The cache file of a scope inside a storage folder. */
export function cacheFileIn(directory: string, scope: string): string {
  return path.join(directory, `facts-${createHash('sha256').update(scope).digest('hex').slice(0, 16)}.json`);
}

export class FactCache {
  private readonly entries: Map<string, unknown>;
  /** Entries for the next save, as JSON text (written as they come, so a save is one write). */
  private readonly keptEntries = new Map<string, string>();

  private constructor(
    readonly file: string,
    private readonly key: CacheKey,
    entries: Map<string, unknown>,
    /** Why the cache on disk was not used, when there was one. */
    readonly problem: string | undefined,
  ) {
    this.entries = entries;
  }

  /** Reads the cache file; an unusable one gives an empty cache and says why (never throws). */
  static load(file: string, key: CacheKey): FactCache {
    const empty = (problem: string | undefined) => new FactCache(file, key, new Map(), problem);
    let bytes: Buffer;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_CACHE_BYTES) return empty(`larger than ${MAX_CACHE_BYTES} bytes`);
      bytes = fs.readFileSync(file);
    } catch (error) {
      return empty((error as { code?: unknown }).code === 'ENOENT' ? undefined : `unreadable (${errorMessage(error)})`);
    }
    const newline = bytes.indexOf(10);
    if (newline < 0) return empty('no header');
    let header: unknown;
    try {
      header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
    } catch {
      return empty('a malformed header');
    }
    if (!isHeader(header)) return empty('a malformed header');
    if (header.format !== FORMAT || header.engine !== engineVersion()) return empty('written by another version');
    if (header.settings !== key.settings || header.scope !== key.scope) return empty('written for other settings or another folder');
    const body = bytes.subarray(newline + 1);
    if (body.length !== header.bytes || createHash('sha256').update(body).digest('hex') !== header.sha256) return empty('truncated or corrupt');
    let list: unknown;
    try {
      list = JSON.parse(body.toString('utf8'));
    } catch {
      return empty('truncated or corrupt');
    }
    if (!Array.isArray(list)) return empty('malformed');
    const entries = new Map<string, unknown>();
    for (const entry of list as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { path: filePath, size, mtimeMs } = entry as Record<string, unknown>;
      if (typeof filePath !== 'string' || typeof size !== 'number' || typeof mtimeMs !== 'number') continue;
      entries.set(stampKey(filePath, { size, mtimeMs }), (entry as Record<string, unknown>)['facts']);
    }
    return new FactCache(file, key, entries, undefined);
  }

  /** How many files the cache on disk holds. */
  get size(): number {
    return this.entries.size;
  }

  /** The facts of a file at this stamp, if the cache holds well-formed ones. */
  lookup(filePath: string, stamp: FileStamp): FileFacts | undefined {
    const json = this.entries.get(stampKey(filePath, stamp));
    return json === undefined ? undefined : factsFromJson(json);
  }

  /** How many files the next `save` writes. */
  get kept(): number {
    return this.keptEntries.size;
  }

  /** Keeps a file's facts for the next `save`; `readAt` is when its text was read (ms since the epoch). */
  remember(filePath: string, stamp: FileStamp, facts: FileFacts, readAt: number): void {
    if (stamp.mtimeMs > readAt - RACY_MS) return;
    const json = factsToJson(facts);
    if (json) this.keptEntries.set(filePath, JSON.stringify({ path: filePath, size: stamp.size, mtimeMs: stamp.mtimeMs, facts: json } satisfies Entry));
  }

  /** Writes the remembered entries (and only them) atomically; returns an error message, or undefined. */
  save(): string | undefined {
    const body = Buffer.from(`[${[...this.keptEntries.values()].join(',')}]`, 'utf8');
    const header: Header = {
      format: FORMAT,
      engine: engineVersion(),
      settings: this.key.settings,
      scope: this.key.scope,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(temporary, Buffer.concat([Buffer.from(JSON.stringify(header) + '\n', 'utf8'), body]));
      fs.renameSync(temporary, this.file);
      return undefined;
    } catch (error) {
      try {
        fs.rmSync(temporary, { force: true });
      } catch {
        // nothing more to clean
      }
      return errorMessage(error);
    }
  }
}

function stampKey(filePath: string, stamp: FileStamp): string {
  return `${filePath}\u0000${stamp.size}\u0000${stamp.mtimeMs}`;
}

function isHeader(value: unknown): value is Header {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['format'] === 'string' &&
    typeof record['engine'] === 'string' &&
    typeof record['settings'] === 'string' &&
    typeof record['scope'] === 'string' &&
    typeof record['bytes'] === 'number' &&
    typeof record['sha256'] === 'string'
  );
}
