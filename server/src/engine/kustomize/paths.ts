/**
 * Posix path arithmetic on file ids. An id is an absolute '/'-separated path, a `file://` URI, or a
 * path relative to the workspace root (`shop/kustomization.yaml`, the root itself being ``), which
 * stays relative; a kustomization names its files relative to its own folder (kustomize resolves
 * them with posix semantics, and refuses nothing but remote URLs, which we skip).
 */

const FILE_SCHEME = 'file://';

interface SplitId {
  /** `file://` plus the authority for a URI, '' for a plain path. */
  readonly prefix: string;
  /** The absolute path (a relative id's path under `/`). */
  readonly path: string;
  readonly uri: boolean;
  /** The id is relative: ids made from it drop the leading `/` again (`joined`). */
  readonly relative: boolean;
}

function split(id: string): SplitId {
  if (id.startsWith(FILE_SCHEME)) {
    const slash = id.indexOf('/', FILE_SCHEME.length);
    if (slash < 0) return { prefix: id, path: '/', uri: true, relative: false };
    return { prefix: id.slice(0, slash), path: id.slice(slash), uri: true, relative: false };
  }
  if (!id.startsWith('/')) return { prefix: '', path: `/${id}`, uri: false, relative: true };
  return { prefix: '', path: id, uri: false, relative: false };
}

/** The id of an absolute path of the same kind as `like` (a URI, an absolute path or a relative id). */
function joined(like: SplitId, path: string): string {
  return like.prefix + (like.relative ? path.slice(1) : path);
}

/** Resolves `.` and `..` segments and repeated slashes of an absolute path; `..` never climbs above the root. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return '/' + out.join('/');
}

/** The folder of a file id (`/a/b/kustomization.yaml` -> `/a/b`). */
export function dirnameId(id: string): string {
  const parts = split(id);
  const normal = normalizePath(parts.path);
  const slash = normal.lastIndexOf('/');
  return joined(parts, slash <= 0 ? '/' : normal.slice(0, slash));
}

/** Ids `joinId` made, by folder id and written path: builds join the same pairs again and again (a base that many overlays build). */
const joinedIds = new Map<string, Map<string, string>>();
let joinedCount = 0;
/** Pairs kept in `joinedIds` before it is emptied, so its size is bounded whatever the workspace holds. */
const JOINED_LIMIT = 1 << 16;

/**
 * Resolves a path written in a kustomization against a folder id. An absolute path replaces the
 * folder's path (kustomize allows absolute paths). In a URI, each written segment is
 * percent-encoded as editors encode file URIs.
 */
export function joinId(folderId: string, relative: string): string {
  let byPath = joinedIds.get(folderId);
  const known = byPath?.get(relative);
  if (known !== undefined) return known;
  const id = resolveId(folderId, relative);
  if (joinedCount >= JOINED_LIMIT) {
    joinedIds.clear();
    joinedCount = 0;
    byPath = undefined;
  }
  if (byPath === undefined) joinedIds.set(folderId, (byPath = new Map()));
  byPath.set(relative, id);
  joinedCount++;
  return id;
}

function resolveId(folderId: string, relative: string): string {
  const parts = split(folderId);
  const written = parts.uri ? relative.split('/').map(encodeSegment).join('/') : relative;
  return joined(parts, normalizePath(written.startsWith('/') ? written : `${parts.path}/${written}`));
}

function encodeSegment(segment: string): string {
  return segment === '.' || segment === '..' ? segment : encodeURIComponent(segment);
}

/** Whether the file `fileId` is in the folder `folderId` or below it (both ids as `joinId` and `dirnameId` make them). */
export function isWithinFolder(folderId: string, fileId: string): boolean {
  if (folderId === '' || folderId.endsWith('/')) return fileId.startsWith(folderId);
  return fileId.startsWith(`${folderId}/`);
}

/** The last segment of an id. */
export function basenameId(id: string): string {
  const { path } = split(id);
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Whether a kustomization entry names a remote target (a git repository or an HTTP URL), which
 * the builder does not fetch. Forms from https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/resource/.
 */
export function isRemoteReference(entry: string): boolean {
  return (
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(entry) ||
    /^git@/.test(entry) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) ||
    /[?&](ref|version|submodules|timeout)=/.test(entry)
  );
}
