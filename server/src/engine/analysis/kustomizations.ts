/**
 * What the folder scope needs from kustomization files before overlays are built: the files a
 * kustomization lists as patches. A patch is not an object that is ever applied on its own
 * (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/), so it is never
 * analysed as one.
 */
import { isKustomizationFile, readKustomization, type Kustomization } from '../kustomize/kustomization';

export { isKustomizationFile };

export function baseName(fileId: string): string {
  return fileId.slice(fileId.lastIndexOf('/') + 1);
}

export function folderOf(fileId: string): string {
  const slash = fileId.lastIndexOf('/');
  return slash < 0 ? '' : fileId.slice(0, slash);
}

/** Resolves a kustomization-relative path (`../base/svc.yaml`) against a folder id. */
export function resolvePath(folder: string, relative: string): string {
  if (relative.startsWith('/')) return normalize(relative);
  return normalize(`${folder}/${relative}`);
}

function normalize(path: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path)?.[0] ?? '';
  const parts: string[] = [];
  for (const part of path.slice(scheme.length).split('/')) {
    if (part === '.' || (part === '' && parts.length > 0)) continue;
    if (part === '..') {
      if (parts.length > 1) parts.pop();
      continue;
    }
    parts.push(part);
  }
  return scheme + parts.join('/');
}

/**
 * The file ids a kustomization lists under `patches[].path`, `patchesStrategicMerge` and
 * `patchesJson6902[].path`, its fields read as kustomize reads them (`readKustomization`: in any
 * letter case, the first document only). Never throws.
 */
export function patchFilesOf(fileId: string, text: string): string[] {
  if (!/atches/i.test(text)) return [];
  return patchFilesIn(folderOf(fileId), readKustomization(fileId, text));
}

/** `patchFilesOf` of a kustomization read already, in the folder id `folder`. */
export function patchFilesIn(folder: string, kustomization: Kustomization): string[] {
  const out = new Set<string>();
  for (const entry of [...kustomization.patches, ...kustomization.patchesJson6902]) {
    if (entry.path && entry.path.value) out.add(resolvePath(folder, entry.path.value));
  }
  // A patchesStrategicMerge entry is a file path, or an inline patch (YAML text with a newline).
  for (const entry of kustomization.patchesStrategicMerge) {
    const path = entry.path?.value;
    if (path && !path.includes('\n')) out.add(resolvePath(folder, path.trim()));
  }
  return [...out];
}
