/**
 * What the folder scope needs from kustomization files before overlays are built: the files a
 * kustomization lists as patches. A patch is not an object that is ever applied on its own
 * (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/), so it is never
 * analysed as one.
 */
import { parseDocument } from 'yaml';
import { foldedKey } from '../kustomize/kustomization';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Whether a file id names a kustomization file (`kustomization.yaml`, `.yml`, `Kustomization`). */
export function isKustomizationFile(fileId: string): boolean {
  return KUSTOMIZATION_NAMES.has(baseName(fileId));
}

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

/** The file ids a kustomization lists under `patches[].path`, `patchesStrategicMerge` and `patchesJson6902[].path`. Never throws. */
export function patchFilesOf(fileId: string, text: string): string[] {
  if (!/atches/i.test(text)) return [];
  let value: unknown;
  try {
    const document = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    if (document.errors.length > 0) return [];
    value = document.toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  if (typeof value !== 'object' || value === null) return [];
  // kustomize takes `Patches:` and `Path:` for `patches` and `path` (`foldedKey`).
  const fields = value as Record<string, unknown>;
  const get = (record: Record<string, unknown>, name: string): unknown => {
    const key = foldedKey(Object.keys(record), name);
    return key === undefined ? undefined : record[key];
  };
  const folder = folderOf(fileId);
  const out = new Set<string>();
  const addPath = (entry: unknown) => {
    if (typeof entry === 'object' && entry !== null) {
      const path = get(entry as Record<string, unknown>, 'path');
      if (typeof path === 'string' && path) out.add(resolvePath(folder, path));
    }
  };
  for (const key of ['patches', 'patchesJson6902']) {
    const list = get(fields, key);
    if (Array.isArray(list)) list.forEach(addPath);
  }
  const strategic = get(fields, 'patchesStrategicMerge');
  if (Array.isArray(strategic)) {
    for (const entry of strategic) {
      // An entry is a file path, or an inline patch (YAML text with a newline).
      if (typeof entry === 'string' && entry && !entry.includes('\n')) out.add(resolvePath(folder, entry.trim()));
    }
  }
  return [...out];
}
