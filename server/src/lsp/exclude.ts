/**
 * Which paths of a workspace folder the scan leaves out: node_modules and .git always, then the
 * editor's `files.exclude` globs and `serviceLens.exclude` globs, all relative to the folder.
 * As in the editor, a glob that matches a folder excludes everything below it.
 */
import picomatch from 'picomatch';
import { isInside, relativeSlashPath } from './uris';

export const ALWAYS_EXCLUDED: readonly string[] = ['**/node_modules', '**/.git'];

export type ExcludeMatcher = (relativePath: string) => boolean;

export function createExcludeMatcher(globs: readonly string[]): ExcludeMatcher {
  const patterns = [...ALWAYS_EXCLUDED, ...globs.map(normalizeGlob).filter((glob) => glob.length > 0)];
  const matchers = patterns.map((pattern) => picomatch(pattern, { dot: true }));
  return (relativePath) => matchers.some((matches) => matches(relativePath));
}

/** Whether `filePath` (absolute) is excluded from the folder at `folderPath`, itself or through a parent folder. */
export function isExcludedPath(matcher: ExcludeMatcher, folderPath: string, filePath: string): boolean {
  if (!isInside(folderPath, filePath)) {
    return false;
  }
  const segments = relativeSlashPath(folderPath, filePath).split('/').filter((segment) => segment.length > 0);
  for (let count = 1; count <= segments.length; count++) {
    if (matcher(segments.slice(0, count).join('/'))) {
      return true;
    }
  }
  return false;
}

/**
 * Whether a file met in a walk is excluded, when the walk already left out every excluded folder
 * on its way down (`isExcludedPath` checks each folder of the path again): only the file's own
 * path is matched.
 */
export function isExcludedWalkedFile(matcher: ExcludeMatcher, folderPath: string, filePath: string): boolean {
  if (!isInside(folderPath, filePath)) {
    return false;
  }
  const relative = relativeSlashPath(folderPath, filePath);
  return relative.length > 0 && matcher(relative);
}

function normalizeGlob(glob: string): string {
  return glob.trim().replace(/^\.\//, '').replace(/\/+$/, '');
}
