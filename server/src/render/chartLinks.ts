/**
 * Symbolic links in a chart that lead out of the folder the analysis may read. helm follows every
 * link in a chart folder (helm 4 logs "found symbolic link in path. Contents of linked file
 * included and used"), so rendering such a chart would read files outside the workspace; the
 * language server and the CLI render it only when links out of the workspace are allowed
 * (`serviceLens.followSymlinksOutsideWorkspace`, `--follow-symlinks-outside`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInsidePath, realPathOf } from '../io/boundedRead';

/** Entries looked at in one chart before the walk stops: a chart has dozens; a stray copy of a tree, not thousands. */
const MAX_ENTRIES = 20_000;

/** A link out of the allowed folder: its path relative to the chart folder, and where it leads. */
export interface LinkOut {
  readonly link: string;
  readonly target: string;
}

/**
 * The first symbolic link below `chartDirectory` (absolute) whose real path is not in or below
 * `within` (an absolute real path), in a depth-first walk in name order; undefined when there is
 * none. A link that does not resolve (dangling, a loop) leads nowhere helm could read and is not
 * one. Folders reached through links are not walked (their own link was judged). Never throws:
 * a folder that cannot be listed is passed over.
 */
export function linkOutside(chartDirectory: string, within: string): LinkOut | undefined {
  const pending = [chartDirectory];
  let seen = 0;
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((left, right) => (left.name < right.name ? 1 : left.name > right.name ? -1 : 0));
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) return undefined;
      const child = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        pending.push(child);
      } else if (entry.isSymbolicLink()) {
        const target = realPathOf(child);
        if (target !== undefined && !isInsidePath(within, target)) return { link: path.relative(chartDirectory, child), target };
      }
    }
  }
  return undefined;
}
