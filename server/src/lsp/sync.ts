/**
 * Feeding texts into the universes and publishing what changed: the editor's documents (the edited
 * file is published at once, the files it affects on the next turn) and disk events (published on
 * the next turn). The bulk scan lives in indexer.ts.
 */
import type { Workspace } from '../engine/workspace';
import type { ServerContext } from './context';
import { isManifestDocument } from './documents';
import { readManifest } from './scanner';
import { isInside, isManifestName, relativeSlashPath, uriToPath } from './uris';

export type Origin = 'editor' | 'disk';

export function applyText(context: ServerContext, uri: string, text: string, origin: Origin): void {
  const affected = context.universes.setText(uri, text);
  logSkips(context, uri);
  const home = context.universes.homeOf(uri);
  if (home) {
    logRuleFailures(context, home.workspace);
  }
  if (origin === 'editor') {
    context.publisher.publishNow(uri);
    context.publisher.schedule(affected.filter((fileId) => fileId !== uri));
  } else {
    context.publisher.schedule([uri, ...affected]);
  }
}

export function removeFile(context: ServerContext, uri: string): void {
  const home = context.universes.homeOf(uri);
  const affected = context.universes.remove(uri);
  if (home) {
    logRuleFailures(context, home.workspace);
  }
  context.loggedSkips.delete(uri);
  context.publisher.schedule([uri, ...affected]);
}

/**
 * Makes a closed file's universe entry follow the disk: read it when it is a manifest inside a
 * workspace folder and not excluded, otherwise drop it. Open documents are left alone.
 */
export function reloadFromDisk(context: ServerContext, uri: string): void {
  if (context.documents.isOpen(uri)) {
    return;
  }
  const filePath = uriToPath(uri);
  if (filePath === undefined || !isManifestName(filePath) || context.universes.placementOf(uri).kind !== 'folder') {
    if (context.universes.has(uri)) {
      removeFile(context, uri);
    }
    return;
  }
  const result = readManifest(filePath);
  if (result.kind === 'text') {
    applyText(context, uri, result.text, 'disk');
    return;
  }
  if (result.kind === 'skipped') {
    context.log.info(`Skipped ${describeFile(context, uri)}: ${result.reason}.`);
  }
  if (context.universes.has(uri)) {
    removeFile(context, uri); // deleted, or no longer readable as text
  }
}

/** Logs rules that failed inside the engine (it carries on without their findings). */
export function logRuleFailures(context: ServerContext, workspace: Workspace): void {
  for (const failure of workspace.takeRuleFailures()) {
    context.log.error(failure);
  }
}

/** Logs the documents of a file that the engine did not analyse (Helm templates, YAML errors…), once per new reason. */
export function logSkips(context: ServerContext, uri: string): void {
  const home = context.universes.homeOf(uri);
  const notes = home ? home.workspace.skipped(uri) : [];
  const logged = context.loggedSkips;
  const summary = notes.map((note) => `${note.reason}:${note.message}`).join('\n');
  if (summary === (logged.get(uri) ?? '')) {
    return;
  }
  if (notes.length === 0) {
    logged.delete(uri);
    return;
  }
  logged.set(uri, summary);
  for (const note of notes) {
    const line = home ? home.workspace.positionAt(uri, note.span.start).line + 1 : 1;
    context.log.info(`Skipped a document in ${describeFile(context, uri)}:${line} (${note.reason}): ${note.message}`);
  }
}

/** A file's path relative to its workspace folder when it has one, else its path or URI. */
export function describeFile(context: ServerContext, uri: string): string {
  const filePath = uriToPath(uri);
  if (filePath === undefined) {
    return uri;
  }
  const folder = context.universes.folders.find((candidate) => isInside(candidate.path, filePath));
  return (folder && relativeSlashPath(folder.path, filePath)) || filePath;
}

/** Moves open documents whose home changed (folders added or removed, exclude globs changed). */
export function replaceOpenDocuments(context: ServerContext): void {
  for (const uri of context.documents.uris()) {
    const document = context.documents.get(uri);
    if (!document || !isManifestDocument(document)) {
      continue;
    }
    const placement = context.universes.placementOf(uri);
    const home = context.universes.homeOf(uri);
    const settled =
      placement.kind === 'folder'
        ? home === placement.universe
        : placement.kind === 'loose'
          ? home !== undefined && home.folder === undefined
          : home === undefined;
    if (!settled) {
      applyText(context, uri, document.getText(), 'editor');
    }
  }
}
