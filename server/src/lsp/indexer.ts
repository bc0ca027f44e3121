/**
 * The workspace scan: walks each workspace folder for manifests, feeds every file into the folder's
 * home, then publishes diagnostics for every file of the home (open or not). A rescan (new
 * exclude globs) also drops files that are no longer included.
 */
import { MessageType, ShowMessageNotification } from 'vscode-languageserver/node';
import { type ServerContext, describeError } from './context';
import { INDEXING_NOTIFICATION, type IndexingParams } from '../protocol/status';
import { MAX_FILE_BYTES, formatBytes, readManifest, walkManifests } from './scanner';
import { applyText, describeFile, linkPolicy, logRuleFailures, logSkips, removeFile } from './sync';
import type { FolderHome } from './homes';
import { pathToUri } from './uris';

/** Progress is reported every this many files. */
const REPORT_EVERY = 50;

interface Progress {
  report(message: string): void;
  /** A file over the size limit was skipped (reported to the user once per scan). */
  skippedLarge(uri: string): void;
}

/** Scans folders with one `window/workDoneProgress` report. */
export async function indexFolders(context: ServerContext, folders: readonly FolderHome[], title: string): Promise<void> {
  if (folders.length === 0) {
    return;
  }
  const reporter = await context.connection.window.createWorkDoneProgress();
  reporter.begin(title, undefined, `${folders.length} folder${folders.length === 1 ? '' : 's'}`);
  void context.connection.sendNotification(INDEXING_NOTIFICATION, { state: 'started', folders: folders.length } satisfies IndexingParams);
  const started = Date.now();
  let files = 0;
  const large: string[] = [];
  const progress: Progress = { report: (message) => reporter.report(message), skippedLarge: (uri) => large.push(uri) };
  try {
    for (const folder of folders) {
      files += await indexFolder(context, folder, progress, files);
    }
    noticeLargeFiles(context, large);
    reporter.report(`${files} files; publishing diagnostics`);
    await context.publisher.whenIdle();
  } finally {
    reporter.done();
    void context.connection.sendNotification(INDEXING_NOTIFICATION, { state: 'finished', folders: folders.length, files } satisfies IndexingParams);
  }
  context.log.info(`Indexed ${files} manifest file${files === 1 ? '' : 's'} in ${Date.now() - started} ms.`);
}

/** One visible notice per scan for the files over the size limit (each was logged with its size). */
function noticeLargeFiles(context: ServerContext, uris: readonly string[]): void {
  if (uris.length === 0) {
    return;
  }
  const names = uris.slice(0, 3).map((uri) => describeFile(context, uri));
  const more = uris.length > names.length ? ` and ${uris.length - names.length} more` : '';
  const count = uris.length === 1 ? '1 manifest file' : `${uris.length} manifest files`;
  // A notification (window/showMessage): nothing to answer, so nothing waits on the user.
  void context.connection.sendNotification(ShowMessageNotification.type, {
    type: MessageType.Warning,
    message: `Service Lens skipped ${count} larger than ${formatBytes(MAX_FILE_BYTES)} (${names.join(', ')}${more}); they are not analysed. The Service Lens output lists them.`,
  });
}

/**
 * Texts are handed to the engine in batches of about this many characters: one batch links the
 * home once (far faster than file by file), and the bound keeps a huge workspace's texts from
 * being held all at once.
 */
const BATCH_CHARACTERS = 64 * 1024 * 1024;

async function indexFolder(context: ServerContext, folder: FolderHome, progress: Progress, before: number): Promise<number> {
  const stillAdded = (): boolean => context.homes.folderByUri(folder.uri) === folder;
  const seen = new Set<string>();
  let batch: [uri: string, text: string][] = [];
  let batchCharacters = 0;
  const flush = (): void => {
    // The editor's text wins over the disk for documents opened while reading.
    const files = batch.filter(([uri]) => !context.documents.isOpen(uri));
    batch = [];
    batchCharacters = 0;
    progress.report(`${before + seen.size} files; analysing`);
    try {
      // Files that moved here from another home (a nested folder added) change findings there too.
      context.publisher.schedule(context.homes.setTexts(folder, files));
    } catch (error) {
      // A file the engine fails on must not cost the others: read them one by one, leaving it out.
      context.log.error(`Analysing ${files.length} files at once failed; analysing them one by one: ${describeError(error)}`);
      for (const [uri, text] of files) {
        applyText(context, uri, text, 'disk');
      }
    }
    for (const [uri] of files) {
      logSkips(context, uri);
    }
    logRuleFailures(context, folder.host);
  };
  const walk = walkManifests(folder.path, {
    skipDirectory: (directory) => folder.isExcluded(directory) || context.homes.isOtherFolderRoot(folder, directory),
    skipFile: (file) => folder.isExcluded(file),
    onError: (directory, error) => context.log.warn(`Cannot list ${directory}: ${describeError(error)}`),
    links: linkPolicy(context, folder),
  });
  for await (const filePath of walk) {
    if (!stillAdded()) {
      return seen.size;
    }
    const uri = pathToUri(filePath);
    seen.add(uri);
    if ((before + seen.size) % REPORT_EVERY === 0) {
      progress.report(`${before + seen.size} files`);
    }
    if (context.documents.isOpen(uri)) {
      continue; // the editor's text is already in the home
    }
    const result = readManifest(filePath);
    if (result.kind === 'text') {
      batch.push([uri, result.text]);
      batchCharacters += result.text.length;
      if (batchCharacters >= BATCH_CHARACTERS && stillAdded()) {
        flush();
      }
      continue;
    }
    if (result.kind === 'skipped') {
      context.log.info(`Skipped ${describeFile(context, uri)}: ${result.reason}.`);
      if (result.cause === 'too-large') {
        progress.skippedLarge(uri);
      }
    }
    if (context.homes.has(uri)) {
      removeFile(context, uri);
    }
  }
  if (!stillAdded()) {
    return seen.size;
  }
  for (const uri of context.homes.filesOf(folder)) {
    if (!seen.has(uri) && !context.documents.isOpen(uri)) {
      removeFile(context, uri);
    }
  }
  flush();
  context.publisher.schedule(context.homes.filesOf(folder));
  return seen.size;
}
