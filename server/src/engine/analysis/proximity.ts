/**
 * Monorepo proximity: when a selector matches Pod templates at different distances in the
 * directory tree, the Service links to the nearest ones: those in the deepest folder that holds
 * both the Service's file and a match (the Service's own file and folder are the nearest). A
 * repository of samples or of alternatives side by side holds many apps with the same labels that
 * are never applied together; checking each Service against the other samples' Pods would report
 * ports that were never meant to match. A Service and its Deployment in sibling folders still link
 * (their common folder is the deepest one holding both). The farther matches are kept and shown.
 * Documented as a deliberate choice in docs/kubernetes-semantics.md.
 */

/** Number of folders two file ids share from the root (ids are '/'-separated paths or URIs). */
export function commonFolderDepth(left: string, right: string): number {
  // Counts the '/' of the common prefix that ends a folder name in both ids (no allocation).
  const length = Math.min(left.length, right.length);
  let depth = 0;
  for (let index = 0; index < length; index++) {
    const code = left.charCodeAt(index);
    if (code !== right.charCodeAt(index)) break;
    if (code === 47 /* / */) depth++;
  }
  return depth;
}

/** Splits matches into the nearest ones (deepest common folder with `fileId`) and the farther ones. */
export function nearestByDirectory<T extends { readonly fileId: string }>(fileId: string, matches: readonly T[]): { nearest: T[]; farther: T[] } {
  if (matches.length < 2) return { nearest: [...matches], farther: [] };
  let deepest = -1;
  const depths = matches.map((match) => {
    const depth = commonFolderDepth(fileId, match.fileId);
    if (depth > deepest) deepest = depth;
    return depth;
  });
  const nearest: T[] = [];
  const farther: T[] = [];
  matches.forEach((match, index) => (depths[index] === deepest ? nearest : farther).push(match));
  return { nearest, farther };
}
