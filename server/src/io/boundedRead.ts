/**
 * The one way the server and the CLI read a manifest from disk, and the rules for where they may
 * read. A file is read only when it is a regular file (checked on the open descriptor, so a FIFO,
 * socket or device never blocks or streams), and never more than the size limit plus one byte,
 * whatever `stat` reports: files under /proc report size 0 and can be endless or gigabytes long.
 * Nothing whose real path lies under /proc, /sys or /dev is read or walked, also through links.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files above this size are skipped with a reason (generated bundles, dumps). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A NUL byte in this many leading bytes marks a file as binary. */
const BINARY_PROBE_BYTES = 8 * 1024;

/** Read chunk: small files take one read. */
const CHUNK_BYTES = 64 * 1024;

/** Kernel and device file systems: never read, never walked (their files are not manifests). */
const FORBIDDEN_ROOTS: readonly string[] = ['/proc', '/sys', '/dev'];

/** Why a manifest is not read. */
export type SkipCause = 'too-large' | 'binary' | 'unreadable' | 'not-regular' | 'system';

/** What identifies a version of a file without reading it: its size and modification time (the fact cache's key). */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Where a file's bytes stop being UTF-8: the 1-based line and column (in UTF-16 code units of the
 * text as read) of the first byte that is not, which the text holds as U+FFFD.
 */
export interface NotUtf8 {
  readonly line: number;
  readonly column: number;
}

export type ReadResult =
  | { readonly kind: 'text'; readonly text: string; readonly stamp: FileStamp; readonly notUtf8?: NotUtf8 }
  | { readonly kind: 'skipped'; readonly cause: SkipCause; readonly reason: string }
  | { readonly kind: 'missing' };

/**
 * Reads a file as UTF-8 text without a byte order mark (as editors present it).
 * Errors: never throws; a missing file is `missing`, anything else not read is `skipped` with a
 * reason for the log (`larger than 5.0 MB (…)`, `binary content (NUL byte)`, `not a regular file`,
 * `under /proc, /sys or /dev (…)`, `unreadable (…)`). Bytes that are not UTF-8 read as U+FFFD,
 * and the text says where the first is (`notUtf8`).
 */
export function readBoundedText(filePath: string, maxBytes: number = MAX_FILE_BYTES): ReadResult {
  let real: string;
  try {
    real = fs.realpathSync.native(filePath);
  } catch (error) {
    return isMissing(error) ? { kind: 'missing' } : { kind: 'skipped', cause: 'unreadable', reason: `unreadable (${errorMessage(error)})` };
  }
  if (isSystemPath(real)) {
    return { kind: 'skipped', cause: 'system', reason: `under /proc, /sys or /dev (${real})` };
  }
  let descriptor: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; fstat then refuses it.
    descriptor = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return isMissing(error) ? { kind: 'missing' } : { kind: 'skipped', cause: 'unreadable', reason: `unreadable (${errorMessage(error)})` };
  }
  try {
    const stats = fs.fstatSync(descriptor);
    if (stats.isDirectory()) {
      return { kind: 'missing' };
    }
    if (!stats.isFile()) {
      return { kind: 'skipped', cause: 'not-regular', reason: 'not a regular file' };
    }
    if (stats.size > maxBytes) {
      return { kind: 'skipped', cause: 'too-large', reason: `larger than ${formatBytes(maxBytes)} (${formatBytes(stats.size)})` };
    }
    const bytes = readAtMost(descriptor, maxBytes + 1);
    if (bytes.length > maxBytes) {
      return { kind: 'skipped', cause: 'too-large', reason: `larger than ${formatBytes(maxBytes)}` };
    }
    if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
      return { kind: 'skipped', cause: 'binary', reason: 'binary content (NUL byte)' };
    }
    const decoded = bytes.toString('utf8');
    const bom = decoded.charCodeAt(0) === 0xfeff;
    const text = bom ? decoded.slice(1) : decoded;
    const stamp = { size: stats.size, mtimeMs: stats.mtimeMs };
    const notUtf8 = isUtf8(bytes) ? undefined : firstNotUtf8(text, bytes, bom ? 3 : 0);
    return notUtf8 === undefined ? { kind: 'text', text, stamp } : { kind: 'text', text, stamp, notUtf8 };
  } catch (error) {
    return { kind: 'skipped', cause: 'unreadable', reason: `unreadable (${errorMessage(error)})` };
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * The stamp of a file that `readBoundedText` would read as text (a regular file within the size
 * limit, not under /proc, /sys or /dev), without reading it; undefined otherwise. Never throws.
 */
export function statBounded(filePath: string, maxBytes: number = MAX_FILE_BYTES): FileStamp | undefined {
  try {
    const real = fs.realpathSync.native(filePath);
    if (isSystemPath(real)) {
      return undefined;
    }
    const stats = fs.statSync(real);
    return stats.isFile() && stats.size <= maxBytes ? { size: stats.size, mtimeMs: stats.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first U+FFFD of `text` (decoded from `bytes`, less a byte order mark of `skipped` bytes) that
 * stands for bytes that are not UTF-8, as a line and column; a U+FFFD the file writes as UTF-8
 * (EF BF BD) is not one. Undefined if there is none.
 */
function firstNotUtf8(text: string, bytes: Buffer, skipped: number): NotUtf8 | undefined {
  for (let at = text.indexOf('\uFFFD'); at >= 0; at = text.indexOf('\uFFFD', at + 1)) {
    // Every character before the first such U+FFFD was UTF-8, so it takes as many bytes again.
    const offset = skipped + Buffer.byteLength(text.slice(0, at), 'utf8');
    if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    let line = 1;
    for (let index = text.indexOf('\n'); index >= 0 && index < at; index = text.indexOf('\n', index + 1)) line++;
    return { line, column: at - lineStart + 1 };
  }
  return undefined;
}

/** Reads from an open descriptor until end of file or `limit` bytes, whichever comes first. */
function readAtMost(descriptor: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit - total));
    let count: number;
    try {
      count = fs.readSync(descriptor, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'EAGAIN') {
        break; // a non-blocking special file with nothing to give
      }
      throw error;
    }
    if (count === 0) {
      break;
    }
    chunks.push(count === chunk.length ? chunk : chunk.subarray(0, count));
    total += count;
  }
  return Buffer.concat(chunks, total);
}

/** Whether an absolute (real) path is /proc, /sys, /dev or below one of them. */
export function isSystemPath(realPath: string): boolean {
  return FORBIDDEN_ROOTS.some((root) => isInsidePath(root, realPath));
}

/** Whether `child` is `parent` itself or lies below it (both absolute). */
export function isInsidePath(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The real path of a file or folder (links resolved), or undefined when it does not resolve. */
export function realPathOf(filePath: string): string | undefined {
  try {
    return fs.realpathSync.native(filePath);
  } catch {
    return undefined;
  }
}

/** The message of an error, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Bytes as megabytes with one decimal (`5.0 MB`). */
export function formatBytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * The note on a file that is not valid UTF-8 (`ReadResult.notUtf8`), after its display name. Both
 * kubectl commands were checked with kubectl 1.34: `kubectl kustomize` refuses the file
 * (`MalformedYAMLError: yaml: invalid trailing UTF-8 octet`), while `kubectl apply` reads it and
 * sends U+FFFD in place of such bytes, which is how Service Lens reads it too.
 */
export function notUtf8Message(display: string, where: NotUtf8): string {
  return `${display}: not valid UTF-8 at line ${where.line}, column ${where.column}; read with U+FFFD in place of the bytes, as kubectl apply sends them. kubectl kustomize refuses such a file (invalid UTF-8): save it as UTF-8.`;
}

/** The log line for a link that is not followed (one per link). */
export function outsideLinkMessage(link: string, target: string): string {
  return `Not following ${link} -> ${target}: outside the workspace folder`;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}
