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
 * lists. kustomize loads a patch file only from its kustomization's folder or below (its default load
 * restrictor, `LoadRestrictionsRootOnly`), so a kustomization that lists a file is in the file's
 * folder or above it. The search goes up to the working directory when the path is inside it; for
 * a file outside it, only its own folder is searched, and above a folder outside it nothing.
 * Nothing but kustomization files is read there, each with the bounded reader, and one that cannot
 * be read is passed over.
 */
import * as path from 'node:path';
import { patchFilesOf } from '../engine/analysis/kustomizations';
import { MAX_FILE_BYTES, readBoundedText } from '../io/boundedRead';
import type { LoadResult, LoadedFile } from './files';

/** The names kustomize reads a kustomization from, in its order. */
const KUSTOMIZATION_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A loaded file that a kustomization the run does not read lists as a patch. */
export interface ListedPatch {
  /** The patch file (absolute, as loaded). */
  readonly file: string;
  /** The kustomization file that lists it (absolute). */
  readonly kustomization: string;
}

/**
 * The loaded files less the patches `listedPatches` finds, and a note for each patch left out
 * (paths relative to `cwd`, for stderr).
 */
export function withoutListedPatches(given: readonly string[], loaded: LoadResult, cwd: string): { readonly files: readonly LoadedFile[]; readonly notes: readonly string[] } {
  const patches = listedPatches(given, loaded.folders, loaded.files.map((file) => file.path), cwd);
  if (patches.length === 0) return { files: loaded.files, notes: [] };
  const relative = (file: string): string => path.relative(cwd, file).split(path.sep).join('/') || '.';
  const notes = patches.map(
    (patch) =>
      `${relative(patch.file)}: a kustomize patch listed by ${relative(patch.kustomization)}, not analysed as an object of its own (check ${relative(path.dirname(patch.kustomization))} to see the build with it applied)`,
  );
  const left = new Set(patches.map((patch) => patch.file));
  return { files: loaded.files.filter((file) => !left.has(file.path)), notes };
}

/**
 * The files among `loaded` (absolute paths, the engine's file ids as `runCheck` gives them) that a
 * kustomization file above a path of `given` (resolved against `cwd`, as `loadPaths` resolves
 * them; `folders` are those of them that are folders) lists as a patch, when that kustomization is
 * not itself among `loaded`. In the order of `loaded`; the first kustomization found (nearest
 * folder first) is named.
 */
export function listedPatches(given: readonly string[], folders: readonly string[], loaded: readonly string[], cwd: string): ListedPatch[] {
  const loadedSet = new Set(loaded);
  const listedBy = new Map<string, string>();
  const searched = new Set<string>();
  for (const entry of given) {
    const absolute = path.resolve(cwd, entry);
    for (const folder of foldersAbove(absolute, folders.includes(absolute), cwd)) {
      if (searched.has(folder)) continue;
      searched.add(folder);
      for (const name of KUSTOMIZATION_NAMES) {
        const kustomization = path.join(folder, name);
        if (loadedSet.has(kustomization)) continue; // the engine reads it with the rest
        const read = readBoundedText(kustomization, MAX_FILE_BYTES);
        if (read.kind !== 'text') continue;
        for (const file of patchFilesOf(kustomization, read.text)) {
          if (loadedSet.has(file) && !listedBy.has(file)) listedBy.set(file, kustomization);
        }
      }
    }
  }
  return loaded.flatMap((file) => {
    const kustomization = listedBy.get(file);
    return kustomization === undefined ? [] : [{ file, kustomization }];
  });
}

/**
 * The folders whose kustomization may list a file at or below `absolute`: the folder above it (a
 * file's own folder), then each folder above, nearest first, ending at `cwd`. When that first folder
 * is not `cwd` or below it: a file's own folder alone, and none for a folder.
 */
function foldersAbove(absolute: string, isFolder: boolean, cwd: string): string[] {
  const first = path.dirname(absolute);
  if (first === absolute) return []; // the file system root
  const root = path.resolve(cwd);
  if (!isUnder(root, first)) return isFolder ? [] : [first];
  const out: string[] = [];
  for (let folder = first; ; folder = path.dirname(folder)) {
    out.push(folder);
    if (folder === root || path.dirname(folder) === folder) break;
  }
  return out;
}

/** Whether `file` is `folder` itself or below it. */
function isUnder(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
