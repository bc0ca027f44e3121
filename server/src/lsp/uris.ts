/**
 * Document URIs are the engine's file ids. Clients and Node spell the same file URI differently
 * (percent-encoding of `@`, `:`, drive letters), so every URI entering the server is canonicalised
 * once here; diagnostics and links then use the canonical spelling.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { isManifestName } from '../io/manifestNames';

export { isManifestName };

/** The canonical form of a document URI (file URIs rebuilt from their path; other schemes kept). */
export function canonicalUri(uri: string): string {
  const filePath = uriToPath(uri);
  return filePath === undefined ? uri : pathToUri(filePath);
}

/** The file system path of a `file:` URI, or undefined for other schemes and malformed URIs. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) {
    return undefined;
  }
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/** Whether `child` is `parent` itself or lies below it. */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The path of `child` relative to `parent` with forward slashes, as globs expect. */
export function relativeSlashPath(parent: string, child: string): string {
  return path.relative(parent, child).split(path.sep).join('/');
}
