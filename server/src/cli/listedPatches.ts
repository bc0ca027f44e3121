/**
 * Kustomize patches among the files of a `check` run whose kustomization the run does not read.
 *
 * kustomize applies a patch file to the objects of its build
 * (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/): it is no object
 * of its own. The engine knows a file for a patch when the kustomization that lists it is read with
 * it, as when a folder holding both is checked. A file named alone (`check overlays/prod/replicas.yaml`,
 * a CI job that checks the files a change touched), or a folder below the kustomization
 * (`check overlays/prod/patches`), would be analysed as an object: a Deployment patch that sets one
 * label reads as a Deployment whose Pod template lacks its selector's labels.
 *
 * So, for each path given, the kustomization files of the folders above it are read for their patch
 * and resource lists. kustomize loads files only from its kustomization's folder or below (its
 * default load restrictor, `LoadRestrictionsRootOnly`, on real paths), so a kustomization that lists
 * a file is in the file's folder or above it, and a kustomization file whose real path is in another
 * folder (a link) is not read, as kustomize does not read it. The search goes up to the working
 * directory when the path is inside it (compared by real paths); for a file outside it, only its own
 * folder is searched, and above a folder outside it nothing. Nothing but kustomization files is read
 * there, each with the bounded reader; one that exists but cannot be read is noted.
 *
 * A file is left out only when no kustomization read with the run lists it (that one decides, in the
 * engine) and a kustomization found lists it as a patch and none as a resource. Files are compared
 * by real path, so a folder reached through a link names the same files.
 */
import * as path from 'node:path';
import { patchFilesOf, resolvePath } from '../engine/analysis/kustomizations';
import { isKustomizationFile, kustomizationReferences } from '../engine/kustomize/kustomization';
import { MAX_FILE_BYTES, isInsidePath, readBoundedText, realPathOf } from '../io/boundedRead';
import type { LoadResult, LoadedFile } from './files';

/** The names kustomize reads a kustomization from, in its order. */
const KUSTOMIZATION_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A loaded file that a kustomization the run does not read lists as a patch. */
export interface ListedPatch {
  /** The patch file (absolute, as loaded). */
  readonly file: string;
  /** The kustomization file that lists it (absolute, as found above the path given). */
  readonly kustomization: string;
}

/** What `listedPatches` found: the patches, and notes on kustomization files it could not read. */
export interface ListedPatches {
  readonly patches: readonly ListedPatch[];
  readonly notes: readonly string[];
}

/**
 * The loaded files less the patches `listedPatches` finds, and the notes for stderr: one for each
 * patch left out and one for each kustomization file that could not be read (paths relative to
 * `cwd`).
 */
export function withoutListedPatches(given: readonly string[], loaded: LoadResult, cwd: string): { readonly files: readonly LoadedFile[]; readonly notes: readonly string[] } {
  const found = listedPatches(given, loaded.folders, loaded.files, cwd);
  const relative = (file: string): string => path.relative(cwd, file).split(path.sep).join('/') || '.';
  const notes = [
    ...found.notes,
    ...found.patches.map(
      (patch) =>
        `${relative(patch.file)}: a kustomize patch listed by ${relative(patch.kustomization)}, not analysed as an object of its own (check ${relative(path.dirname(patch.kustomization))} to see the build with it applied)`,
    ),
  ];
  if (found.patches.length === 0) return { files: loaded.files, notes };
  const left = new Set(found.patches.map((patch) => patch.file));
  return { files: loaded.files.filter((file) => !left.has(file.path)), notes };
}

/**
 * The files among `loaded` (absolute paths, the engine's file ids as `runCheck` gives them, with
 * their texts) that a kustomization file above a path of `given` (resolved against `cwd`, as
 * `loadPaths` resolves them; `folders` are those of them that are folders) lists as a patch, when
 * no loaded kustomization lists the file and no kustomization found lists it as a resource. In the
 * order of `loaded`; the first kustomization found (nearest folder first) is named. Notes name the
 * kustomization files found but not read (too large, unreadable, not a regular file).
 */
export function listedPatches(given: readonly string[], folders: readonly string[], loaded: readonly Pick<LoadedFile, 'path' | 'text'>[], cwd: string): ListedPatches {
  const byRealPath = new Map<string, string>();
  for (const file of loaded) byRealPath.set(realPathOf(file.path) ?? file.path, file.path);
  const loadedPaths = new Set(loaded.map((file) => file.path));

  // Files a loaded kustomization lists: the engine reads those with that kustomization.
  const usedInRun = new Set<string>();
  for (const file of loaded) {
    if (!isKustomizationFile(file.path)) continue;
    for (const listed of listedFiles(file.path, file.text)) {
      const own = byRealPath.get(realPathOf(listed) ?? listed);
      if (own !== undefined) usedInRun.add(own);
    }
  }

  const patchOf = new Map<string, string>();
  const resources = new Set<string>();
  const notes: string[] = [];
  const searched = new Set<string>();
  const realCwd = realPathOf(cwd) ?? path.resolve(cwd);
  for (const entry of given) {
    const absolute = path.resolve(cwd, entry);
    for (const folder of foldersAbove(absolute, folders.includes(absolute), realCwd)) {
      if (searched.has(folder.real)) continue;
      searched.add(folder.real);
      for (const name of KUSTOMIZATION_NAMES) {
        const kustomization = path.join(folder.written, name);
        if (loadedPaths.has(kustomization)) continue; // the engine reads it with the rest
        const real = realPathOf(kustomization);
        // kustomize reads a kustomization file only from its own folder, links resolved.
        if (real === undefined || path.dirname(real) !== folder.real || byRealPath.has(real)) continue;
        const read = readBoundedText(kustomization, MAX_FILE_BYTES);
        if (read.kind === 'skipped') notes.push(`${path.relative(cwd, kustomization) || kustomization}: not read to find the patches it lists (${read.reason})`);
        if (read.kind !== 'text') continue;
        for (const listed of patchFilesOf(kustomization, read.text)) {
          const own = byRealPath.get(realPathOf(listed) ?? listed);
          if (own !== undefined && !patchOf.has(own)) patchOf.set(own, kustomization);
        }
        for (const listed of kustomizationReferences(kustomization, read.text).resources) {
          const resolved = resolvePath(path.dirname(kustomization), listed);
          const own = byRealPath.get(realPathOf(resolved) ?? resolved);
          if (own !== undefined) resources.add(own);
        }
      }
    }
  }
  const patches = loaded.flatMap((file) => {
    const kustomization = patchOf.get(file.path);
    return kustomization === undefined || usedInRun.has(file.path) || resources.has(file.path) ? [] : [{ file: file.path, kustomization }];
  });
  return { patches, notes };
}

/** The files a kustomization lists directly (resources and patch files), resolved against its folder. */
function listedFiles(kustomization: string, text: string): string[] {
  const folder = path.dirname(kustomization);
  return [...kustomizationReferences(kustomization, text).resources.map((listed) => resolvePath(folder, listed)), ...patchFilesOf(kustomization, text)];
}

/** A folder as reached from the path given, and its real path. */
interface Folder {
  readonly written: string;
  readonly real: string;
}

/**
 * The folders whose kustomization may list a file at or below `absolute`: the folder above it (a
 * file's own folder), then each folder above, nearest first, ending at the working directory
 * (`realCwd`, a real path). When that first folder is not the working directory or below it (by
 * real path): a file's own folder alone, and none for a folder.
 */
function foldersAbove(absolute: string, isFolder: boolean, realCwd: string): Folder[] {
  const first = path.dirname(absolute);
  if (first === absolute) return []; // the file system root
  const firstReal = realPathOf(first);
  if (firstReal === undefined) return [];
  if (!isInsidePath(realCwd, firstReal)) return isFolder ? [] : [{ written: first, real: firstReal }];
  const out: Folder[] = [];
  for (let written = first; ; written = path.dirname(written)) {
    const real = realPathOf(written);
    if (real === undefined || !isInsidePath(realCwd, real)) break;
    out.push({ written, real });
    if (real === realCwd || path.dirname(written) === written) break;
  }
  return out;
}
