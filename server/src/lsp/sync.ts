/**
 * Feeding texts into the homes and publishing what changed: the editor's documents (the edited
 * file is published at once, the files it affects on the next turn) and disk events (published on
 * the next turn). The bulk scan lives in indexer.ts.
 */
import type { AnalysisHost } from '../engine/workspace';
import { describeError, type ServerContext } from './context';
import { isManifestDocument } from './documents';
import { notUtf8Message, outsideLinkMessage } from '../io/boundedRead';
import { MAX_FILE_BYTES, formatBytes, mayReadInFolder, readManifest, type LinkPolicy } from './scanner';
import type { FolderHome } from './homes';
import { isInside, isManifestName, relativeSlashPath, uriToPath } from './uris';
import { takeRuleFailures } from './homes';

export type Origin = 'editor' | 'disk';

export function applyText(context: ServerContext, uri: string, text: string, origin: Origin): void {
  if (isTooLarge(text)) {
    skipLargeText(context, uri, text, origin);
    return;
  }
  let affected: string[];
  try {
    affected = context.homes.setText(uri, text);
  } catch (error) {
    dropFailedFile(context, uri, error, origin);
    return;
  }
  logSkips(context, uri);
  const home = context.homes.homeOf(uri);
  if (home) {
    logRuleFailures(context, home.host);
  }
  context.refreshCodeLenses();
  context.charts.fileChanged(uri);
  if (origin === 'editor') {
    context.publisher.publishNow(uri);
    context.publisher.schedule(affected.filter((fileId) => fileId !== uri));
  } else {
    context.publisher.schedule([uri, ...affected]);
  }
}

/** Whether a text is over the size limit of files read from disk (editor texts get the same limit). */
function isTooLarge(text: string): boolean {
  // A UTF-16 code unit takes one to three bytes in UTF-8: count bytes only when it can matter.
  return text.length > MAX_FILE_BYTES || (text.length > MAX_FILE_BYTES / 3 && Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES);
}

/** An editor text over the size limit is not analysed, like the file on disk; logged once per file. */
function skipLargeText(context: ServerContext, uri: string, text: string, origin: Origin): void {
  const reason = `larger than ${formatBytes(MAX_FILE_BYTES)} (${formatBytes(Buffer.byteLength(text, 'utf8'))})`;
  const summary = `too-large:${reason}`;
  if (context.loggedSkips.get(uri) !== summary) {
    context.log.info(`Skipped ${describeFile(context, uri)}: ${reason}.`);
  }
  if (context.homes.has(uri)) {
    removeFile(context, uri);
  }
  context.loggedSkips.set(uri, summary);
  if (origin === 'editor') {
    context.publisher.publishNow(uri);
  }
}

/**
 * The engine failed on a file: it is logged and leaves its home, so the file shows no findings
 * rather than stale ones, and every other file keeps being analysed.
 */
function dropFailedFile(context: ServerContext, uri: string, error: unknown, origin: Origin): void {
  context.log.error(`Analysing ${describeFile(context, uri)} failed; it is left out: ${describeError(error)}`);
  try {
    if (context.homes.has(uri)) {
      removeFile(context, uri);
    }
  } catch (removeError) {
    context.log.error(`Removing ${describeFile(context, uri)} after a failure failed too: ${describeError(removeError)}`);
  }
  if (origin === 'editor') {
    context.publisher.publishNow(uri);
  } else {
    context.publisher.schedule([uri]);
  }
}

export function removeFile(context: ServerContext, uri: string): void {
  const home = context.homes.homeOf(uri);
  const affected = context.homes.remove(uri);
  if (home) {
    logRuleFailures(context, home.host);
  }
  context.loggedSkips.delete(uri);
  context.refreshCodeLenses();
  context.charts.fileChanged(uri);
  context.publisher.schedule([uri, ...affected]);
}

/**
 * Makes a closed file's home entry follow the disk: read it when it is a manifest inside a
 * workspace folder and not excluded, otherwise drop it. Open documents are left alone.
 */
export function reloadFromDisk(context: ServerContext, uri: string): void {
  if (context.documents.isOpen(uri)) {
    return;
  }
  const filePath = uriToPath(uri);
  const placement = context.homes.placementOf(uri);
  if (
    filePath === undefined ||
    !isManifestName(filePath) ||
    placement.kind !== 'folder' ||
    !mayReadInFolder(linkPolicy(context, placement.home), filePath)
  ) {
    if (context.homes.has(uri)) {
      removeFile(context, uri);
    }
    return;
  }
  const result = readManifest(filePath);
  if (result.kind === 'text') {
    if (result.notUtf8) context.log.info(notUtf8Message(describeFile(context, uri), result.notUtf8));
    applyText(context, uri, result.text, 'disk');
    return;
  }
  if (result.kind === 'skipped') {
    context.log.info(`Skipped ${describeFile(context, uri)}: ${result.reason}.`);
  }
  if (context.homes.has(uri)) {
    removeFile(context, uri); // deleted, or no longer readable as text
  }
}

/** The link policy of a workspace folder's walks and reads; a link not followed is logged once. */
export function linkPolicy(context: ServerContext, folder: FolderHome): LinkPolicy {
  return {
    folder: folder.path,
    followOutside: folder.settings.followSymlinksOutsideWorkspace,
    onOutside: (link, target) => {
      const key = `${link}\0${target}`;
      if (!context.loggedLinks.has(key)) {
        context.loggedLinks.add(key);
        context.log.info(`${outsideLinkMessage(relativeSlashPath(folder.path, link) || link, target)}.`);
      }
    },
  };
}

/** Logs rules that failed inside the engine (it carries on without their findings). */
export function logRuleFailures(context: ServerContext, host: AnalysisHost): void {
  for (const failure of takeRuleFailures(host)) {
    context.log.error(failure);
  }
}

/** Logs the documents of a file that the engine did not analyse (Helm templates, YAML errors…), once per new reason. */
export function logSkips(context: ServerContext, uri: string): void {
  const home = context.homes.homeOf(uri);
  const snapshot = home?.host.snapshot();
  const notes = snapshot ? snapshot.skipped(uri) : [];
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
    const line = snapshot ? snapshot.positionAt(uri, note.span.start).line + 1 : 1;
    context.log.info(`Skipped a document in ${describeFile(context, uri)}:${line} (${note.reason}): ${note.message}`);
  }
}

/** A file's path relative to its workspace folder when it has one, else its path or URI. */
export function describeFile(context: ServerContext, uri: string): string {
  const filePath = uriToPath(uri);
  if (filePath === undefined) {
    return uri;
  }
  const folder = context.homes.folders.find((candidate) => isInside(candidate.path, filePath));
  return (folder && relativeSlashPath(folder.path, filePath)) || filePath;
}

/** Moves open documents whose home changed (folders added or removed, exclude globs changed). */
export function replaceOpenDocuments(context: ServerContext): void {
  for (const uri of context.documents.uris()) {
    const document = context.documents.get(uri);
    if (!document || !isManifestDocument(document)) {
      continue;
    }
    const placement = context.homes.placementOf(uri);
    const home = context.homes.homeOf(uri);
    const settled =
      placement.kind === 'folder'
        ? home === placement.home
        : placement.kind === 'loose'
          ? home !== undefined && home.folder === undefined
          : home === undefined;
    if (!settled) {
      applyText(context, uri, document.getText(), 'editor');
    }
  }
}
