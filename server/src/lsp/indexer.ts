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
import { Pacer, nextTurn } from './pacing';
import { pathToUri, uriToPath } from './uris';
import { isKustomizationFile } from '../engine/analysis/kustomizations';
import type { FileFacts } from '../engine/facts/fileFacts';
import { notUtf8Message, statBounded, type FileStamp } from '../io/boundedRead';
import { FactCache, cacheFileIn } from '../io/factCache';

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
  const caches: (() => Promise<void>)[] = [];
  try {
    for (const folder of folders) {
      const scanned = await indexFolder(context, folder, progress, files);
      files += scanned.files;
      if (scanned.saveCache) {
        caches.push(scanned.saveCache);
      }
    }
    noticeLargeFiles(context, large);
    reporter.report(`${files} files; publishing diagnostics`);
    await context.publisher.whenIdle();
  } finally {
    reporter.done();
    void context.connection.sendNotification(INDEXING_NOTIFICATION, { state: 'finished', folders: folders.length, files } satisfies IndexingParams);
  }
  context.log.info(`Indexed ${files} manifest file${files === 1 ? '' : 's'} in ${Date.now() - started} ms.`);
  for (const save of caches) {
    await save();
  }
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
 * Texts are handed to the engine in batches of at most this many files and about this many
 * characters, and the server answers requests between two batches: reading a batch this small
 * takes a few milliseconds (one file larger than the bound is a batch of its own). The load is
 * linked, and its overlays built, after its last batch (or when its kept texts pass the engine's
 * budget), in steps between which requests are answered too (`setTextsInSteps`).
 */
const BATCH_FILES = 8;
const BATCH_CHARACTERS = 128 * 1024;

interface FolderScan {
  readonly files: number;
  /** Writes the folder's fact cache (after the scan's diagnostics are out). */
  readonly saveCache?: () => Promise<void>;
}

async function indexFolder(context: ServerContext, folder: FolderHome, progress: Progress, before: number): Promise<FolderScan> {
  folder.scans += 1;
  try {
    return await scanFolder(context, folder, progress, before);
  } finally {
    folder.scans -= 1;
    folder.scanned = true;
  }
}

async function scanFolder(context: ServerContext, folder: FolderHome, progress: Progress, before: number): Promise<FolderScan> {
  const stillAdded = (): boolean => context.homes.folderByUri(folder.uri) === folder;
  const seen = new Set<string>();
  const cache = openFactCache(context, folder);
  /** Files fed from disk or from the cache, with the stamp they had when read. */
  const stamps = new Map<string, { path: string; stamp: FileStamp; readAt: number }>();
  let fromCache = 0;
  let batch: [uri: string, content: string | FileFacts][] = [];
  let batchCharacters = 0;
  /** Hands the batch to the engine; `more`: files of this scan follow (overlays are built after the last batch). */
  const flush = async (more: boolean): Promise<void> => {
    // The editor's text wins over the disk for documents opened while reading.
    const files = batch.filter(([uri]) => !context.documents.isOpen(uri));
    batch = [];
    batchCharacters = 0;
    progress.report(`${before + seen.size} files; analysing`);
    try {
      // Files that moved here from another home (a nested folder added) change findings there too.
      context.publisher.schedule(await context.homes.setTextsInSteps(folder, files, more));
    } catch (error) {
      // A file the engine fails on must not cost the others: read them one by one, leaving it out.
      context.log.error(`Analysing ${files.length} files at once failed; analysing them one by one: ${describeError(error)}`);
      for (const [uri, content] of files) {
        const text = typeof content === 'string' ? content : readText(uri);
        if (text !== undefined) {
          applyText(context, uri, text, 'disk');
        }
      }
    }
    for (const [uri] of files) {
      logSkips(context, uri);
    }
    logRuleFailures(context, folder.host);
    await nextTurn();
  };
  const walk = walkManifests(folder.path, {
    skipDirectory: (directory) => folder.isExcluded(directory) || context.homes.isOtherFolderRoot(folder, directory),
    skipFile: (file) => folder.isExcludedWalkedFile(file),
    onError: (directory, error) => context.log.warn(`Cannot list ${directory}: ${describeError(error)}`),
    links: linkPolicy(context, folder),
  });
  for await (const filePath of walk) {
    if (!stillAdded()) {
      return { files: seen.size };
    }
    const uri = pathToUri(filePath);
    seen.add(uri);
    if ((before + seen.size) % REPORT_EVERY === 0) {
      progress.report(`${before + seen.size} files`);
    }
    if (context.documents.isOpen(uri)) {
      continue; // the editor's text is already in the home
    }
    const cached = cache && !isKustomizationFile(uri) ? cachedFacts(cache, filePath) : undefined;
    if (cached) {
      batch.push([uri, cached.facts]);
      stamps.set(uri, { path: filePath, stamp: cached.stamp, readAt: Date.now() });
      fromCache++;
      // Placing facts costs far less than reading a text of the same length.
      batchCharacters += cached.facts.lines.length / 8;
      if ((batchCharacters >= BATCH_CHARACTERS || batch.length >= BATCH_FILES) && stillAdded()) {
        await flush(true);
      }
      continue;
    }
    const result = readManifest(filePath);
    if (result.kind === 'text') {
      batch.push([uri, result.text]);
      if (result.notUtf8) context.log.info(notUtf8Message(describeFile(context, uri), result.notUtf8));
      stamps.set(uri, { path: filePath, stamp: result.stamp, readAt: Date.now() });
      batchCharacters += result.text.length;
      if ((batchCharacters >= BATCH_CHARACTERS || batch.length >= BATCH_FILES) && stillAdded()) {
        await flush(true);
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
    return { files: seen.size };
  }
  const pacer = new Pacer();
  for (const uri of context.homes.filesOf(folder)) {
    if (!seen.has(uri) && !context.documents.isOpen(uri)) {
      removeFile(context, uri);
      await pacer.pause();
    }
  }
  await flush(false);
  if (!stillAdded()) {
    return { files: seen.size };
  }
  context.publisher.schedule(context.homes.filesOf(folder));
  if (cache) {
    context.log.info(`Fact cache of ${folder.name}: ${fromCache} of ${stamps.size} files taken from it, the others read.`);
  }
  return { files: seen.size, saveCache: cache && (() => saveFactCache(context, folder, cache, stamps)) };
}

/** The folder's fact cache as left by the last session, or undefined without a cache folder. */
function openFactCache(context: ServerContext, folder: FolderHome): FactCache | undefined {
  if (context.cacheDirectory === undefined) {
    return undefined;
  }
  const key = { settings: JSON.stringify(folder.settings.engine.podTemplatePaths), scope: folder.path };
  const cache = FactCache.load(cacheFileIn(context.cacheDirectory, folder.path), key);
  if (cache.problem !== undefined) {
    context.log.info(`Fact cache of ${folder.name} not used (${cache.problem}): every file is read.`);
  }
  return cache;
}

function cachedFacts(cache: FactCache, filePath: string): { facts: FileFacts; stamp: FileStamp } | undefined {
  const stamp = statBounded(filePath);
  const facts = stamp && cache.lookup(filePath, stamp);
  return facts && stamp ? { facts, stamp } : undefined;
}

/** Keeps the facts of the folder's files as read by the scan (not open documents, not files that moved or left, not files kustomize builds read). */
async function saveFactCache(context: ServerContext, folder: FolderHome, cache: FactCache, stamps: ReadonlyMap<string, { path: string; stamp: FileStamp; readAt: number }>): Promise<void> {
  const pacer = new Pacer();
  for (const [uri, { path, stamp, readAt }] of stamps) {
    if (context.homes.folderByUri(folder.uri) !== folder) {
      return;
    }
    // Files a kustomize build reads are read again as texts at the next start: from facts alone, the
    // build would ask for each text again after the scan, and build its overlay once per file.
    const skip = context.documents.isOpen(uri) || context.homes.homeOf(uri) !== folder || folder.host.builtFromText(uri);
    const facts = skip ? undefined : folder.host.fileFacts(uri);
    if (facts) {
      cache.remember(path, stamp, facts, readAt);
    }
    await pacer.pause();
  }
  const error = cache.save();
  if (error !== undefined) {
    context.log.warn(`Could not write the fact cache of ${folder.name} to ${cache.file}: ${error}`);
  } else {
    context.log.info(`Fact cache of ${folder.name} written: ${cache.kept} files.`);
  }
}

/** A file's text from disk, for the one-by-one fallback of a batch that held its facts. */
function readText(uri: string): string | undefined {
  const filePath = uriToPath(uri);
  const result = filePath === undefined ? undefined : readManifest(filePath);
  return result?.kind === 'text' ? result.text : undefined;
}
