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
 * and resource lists. kustomize loads files only from its kustomization's folder or below, links
 * resolved (its default load restrictor, `LoadRestrictionsRootOnly`), so a kustomization that lists
 * a file is in a real folder above the file's real path; a kustomization file, or a file it lists,
 * whose real path leaves that folder is not used, as kustomize does not read it. The search goes up
 * the real folders to the working directory when the path is inside it; for a file outside it, only
 * its own folder is searched, and above a folder outside it nothing. Nothing but kustomization files
 * is read there, each with the bounded reader; one that exists but cannot be read is noted.
 *
 * A file is left out only when no kustomization loaded with it lists it by the path it was loaded by
 * (the engine, which matches paths as written, then decides), and a kustomization found lists it as a
 * patch and none as a resource.
 */
import * as path from 'node:path';
import { patchFilesIn, resolvePath } from '../engine/analysis/kustomizations';
import { isKustomizationFile, KUSTOMIZATION_FILE_NAMES, readKustomization, type Kustomization } from '../engine/kustomize/kustomization';
import { MAX_FILE_BYTES, isInsidePath, readBoundedText, realPathOf } from '../io/boundedRead';
import type { LoadResult, LoadedFile } from './files';

/** A loaded file that a kustomization the run does not read lists as a patch. */
export interface ListedPatch {
  /** The patch file (absolute, as loaded). */
  readonly file: string;
  /** The kustomization file that lists it (absolute, a real folder above the path given). */
  readonly kustomization: string;
  /** Whether that kustomization is a `kind: Component`, which is built only by the overlays that use it. */
  readonly component: boolean;
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
        `${relative(patch.file)}: a kustomize patch listed by ${relative(patch.kustomization)}, not analysed as an object of its own (${
          patch.component ? 'check an overlay that uses the component' : `check ${shellWord(relative(path.dirname(patch.kustomization)))}`
        } to see the build with it applied)`,
    ),
  ];
  if (found.patches.length === 0) return { files: loaded.files, notes };
  const left = new Set(found.patches.map((patch) => patch.file));
  return { files: loaded.files.filter((file) => !left.has(file.path)), notes };
}

/** A path as one shell word: quoted when it holds anything but letters, digits and `_./@%+=:,-`. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The files among `loaded` (absolute paths, the engine's file ids as `runCheck` gives them, with
 * their texts) that a kustomization file above a path of `given` (resolved against `cwd`, as
 * `loadPaths` resolves them; `folders` are those of them that are folders) lists as a patch, when
 * no loaded kustomization lists the file under the path it was loaded by (the engine matches file
 * ids as written, and decides for those) and no kustomization found lists it as a resource. In the
 * order of `loaded`; the first kustomization found (nearest folder first) is named. Notes name the
 * kustomization files found but not read (too large, unreadable, not a regular file).
 */
export function listedPatches(given: readonly string[], folders: readonly string[], loaded: readonly Pick<LoadedFile, 'path' | 'text'>[], cwd: string): ListedPatches {
  const byRealPath = new Map<string, string>();
  for (const file of loaded) byRealPath.set(realPathOf(file.path) ?? file.path, file.path);

  // Files a loaded kustomization lists by the path they were loaded by: the engine reads those with it.
  const usedInRun = new Set<string>();
  const loadedPaths = new Set(loaded.map((file) => file.path));
  for (const file of loaded) {
    if (!isKustomizationFile(file.path)) continue;
    const kustomization = readKustomization(file.path, file.text);
    const folder = path.dirname(file.path);
    for (const listed of [...resourcesIn(folder, kustomization), ...patchFilesIn(folder, kustomization)]) if (loadedPaths.has(listed)) usedInRun.add(listed);
  }

  const patchOf = new Map<string, Found>();
  const resources = new Set<string>();
  const notes: string[] = [];
  const searched = new Set<string>();
  const realCwd = realPathOf(cwd) ?? path.resolve(cwd);
  for (const entry of given) {
    const absolute = path.resolve(cwd, entry);
    for (const folder of foldersAbove(realPathOf(absolute) ?? absolute, folders.includes(absolute), realCwd)) {
      if (searched.has(folder)) continue;
      searched.add(folder);
      for (const name of KUSTOMIZATION_FILE_NAMES) {
        const kustomization = path.join(folder, name);
        const real = realPathOf(kustomization);
        // kustomize reads a kustomization file in its folder or below it, links resolved (its load restrictor).
        if (real === undefined || !isInsidePath(folder, real)) continue;
        const read = readBoundedText(kustomization, MAX_FILE_BYTES);
        if (read.kind === 'skipped') notes.push(`${path.relative(cwd, kustomization) || kustomization}: not read to find the patches it lists (${read.reason})`);
        if (read.kind !== 'text') continue;
        const fields = readKustomization(kustomization, read.text);
        const component = fields.kind === 'Component';
        const own = (listed: string): string | undefined => {
          // A file kustomize loads is in or below the kustomization's folder, links resolved.
          const realListed = realPathOf(listed);
          return realListed !== undefined && isInsidePath(folder, realListed) ? byRealPath.get(realListed) : undefined;
        };
        for (const listed of patchFilesIn(folder, fields)) {
          const file = own(listed);
          if (file !== undefined && !patchOf.has(file)) patchOf.set(file, { kustomization, component });
        }
        for (const listed of resourcesIn(folder, fields)) {
          const file = own(listed);
          if (file !== undefined) resources.add(file);
        }
      }
    }
  }
  const patches = loaded.flatMap((file) => {
    const found = patchOf.get(file.path);
    return found === undefined || usedInRun.has(file.path) || resources.has(file.path) ? [] : [{ file: file.path, ...found }];
  });
  return { patches, notes };
}

/** The kustomization that lists a patch, and whether it is a component. */
interface Found {
  readonly kustomization: string;
  readonly component: boolean;
}

/** The resources a kustomization in `folder` lists, resolved against the folder. */
function resourcesIn(folder: string, kustomization: Kustomization): string[] {
  return kustomization.resources.map((resource) => resolvePath(folder, resource.value));
}

/**
 * The real folders whose kustomization may list a file at or below `real` (a real path): the folder
 * above it (a file's own folder), then each folder above, nearest first, ending at the working
 * directory (`realCwd`, a real path). When that first folder is not the working directory or below
 * it: a file's own folder alone, and none for a folder.
 */
function foldersAbove(real: string, isFolder: boolean, realCwd: string): string[] {
  const first = path.dirname(real);
  if (first === real) return []; // the file system root
  if (!isInsidePath(realCwd, first)) return isFolder ? [] : [first];
  const out: string[] = [];
  for (let folder = first; ; folder = path.dirname(folder)) {
    out.push(folder);
    if (folder === realCwd || path.dirname(folder) === folder) break;
  }
  return out;
}
