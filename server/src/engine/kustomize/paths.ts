/**
 * Posix path arithmetic on file ids. An id is either an absolute '/'-separated path or a `file://`
 * URI; a kustomization names its files relative to its own folder (kustomize resolves them with
 * posix semantics, and refuses nothing but remote URLs, which we skip).
 */

const FILE_SCHEME = 'file://';

interface SplitId {
  /** `file://` plus the authority for a URI, '' for a plain path. */
  readonly prefix: string;
  readonly path: string;
  readonly uri: boolean;
}

function split(id: string): SplitId {
  if (id.startsWith(FILE_SCHEME)) {
    const slash = id.indexOf('/', FILE_SCHEME.length);
    if (slash < 0) return { prefix: id, path: '/', uri: true };
    return { prefix: id.slice(0, slash), path: id.slice(slash), uri: true };
  }
  return { prefix: '', path: id, uri: false };
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
  const { prefix, path } = split(id);
  const normal = normalizePath(path);
  const slash = normal.lastIndexOf('/');
  return prefix + (slash <= 0 ? '/' : normal.slice(0, slash));
}

/**
 * Resolves a path written in a kustomization against a folder id. An absolute path replaces the
 * folder's path (kustomize allows absolute paths). In a URI, each written segment is
 * percent-encoded as editors encode file URIs.
 */
export function joinId(folderId: string, relative: string): string {
  const { prefix, path, uri } = split(folderId);
  const written = uri ? relative.split('/').map(encodeSegment).join('/') : relative;
  const joined = written.startsWith('/') ? written : `${path}/${written}`;
  return prefix + normalizePath(joined);
}

function encodeSegment(segment: string): string {
  return segment === '.' || segment === '..' ? segment : encodeURIComponent(segment);
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
