/**
 * Following the disk: registers file watchers with the client and applies created, changed and
 * deleted files (renames arrive as a delete plus a create). Directory events matter too: deleting or
 * moving a folder reports only the folder, so files below a deleted path are dropped and a created
 * folder is walked.
 */
import * as path from 'node:path';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  WatchKind,
  type FileEvent,
} from 'vscode-languageserver/node';
import { MANIFEST_GLOB } from '../protocol/settings';
import { type ServerContext, describeError } from './context';
import { isDirectory, walkManifests } from './scanner';
import { Pacer } from './pacing';
import { linkPolicy, reloadFromDisk, removeFile } from './sync';
import { canonicalUri, isManifestName, pathToUri, uriToPath } from './uris';

export async function registerWatchers(context: ServerContext): Promise<void> {
  if (!context.features.watchedFilesDynamic) {
    return;
  }
  await context.connection.client.register(DidChangeWatchedFilesNotification.type, {
    watchers: [
      { globPattern: MANIFEST_GLOB },
      // Helm helpers and other chart files: a change renders the chart again.
      { globPattern: '**/*.tpl' },
      // Folders: a deleted or moved-in folder is reported as itself, not as the files inside it.
      { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
    ],
  });
}

export function onWatchedFilesChanged(context: ServerContext, changes: readonly FileEvent[]): Promise<void> {
  const events = changes.map((change) => ({ uri: canonicalUri(change.uri), type: change.type }));
  return context.serial('Applying file changes', () => applyEvents(context, events));
}

async function applyEvents(context: ServerContext, events: readonly FileEvent[]): Promise<void> {
  // Deleted folders are collected and applied together (one pass over the files), but before any
  // later create, so a folder deleted and created again in one batch keeps its new files.
  const deletedFolders = new Set<string>();
  const flushDeletes = (): void => {
    if (deletedFolders.size > 0) {
      removeFilesBelow(context, deletedFolders);
      deletedFolders.clear();
    }
  };
  const pacer = new Pacer();
  for (const event of events) {
    await pacer.pause();
    const filePath = uriToPath(event.uri);
    if (filePath === undefined || context.documents.isOpen(event.uri)) {
      continue; // open documents override the disk until closed
    }
    if (event.type === FileChangeType.Deleted) {
      if (!isManifestName(filePath)) context.charts.fileChanged(event.uri);
      if (context.homes.has(event.uri)) {
        removeFile(context, event.uri);
      } else if (context.homes.placementOf(event.uri).kind === 'folder') {
        deletedFolders.add(filePath);
      }
      continue;
    }
    flushDeletes();
    if (isManifestName(filePath)) {
      reloadFromDisk(context, event.uri);
    } else if (event.type !== FileChangeType.Created || !isDirectory(filePath)) {
      context.charts.fileChanged(event.uri);
    } else if (event.type === FileChangeType.Created && context.homes.placementOf(event.uri).kind === 'folder' && isDirectory(filePath)) {
      await addFolderContents(context, filePath);
    }
  }
  flushDeletes();
}

/** Drops every closed file that lies below one of the deleted paths. */
function removeFilesBelow(context: ServerContext, deletedPaths: ReadonlySet<string>): void {
  for (const uri of context.homes.allFiles()) {
    const filePath = uriToPath(uri);
    if (filePath === undefined || context.documents.isOpen(uri)) {
      continue;
    }
    for (let parent = path.dirname(filePath); ; parent = path.dirname(parent)) {
      if (deletedPaths.has(parent)) {
        removeFile(context, uri);
        break;
      }
      if (path.dirname(parent) === parent) {
        break;
      }
    }
  }
}

/** Reads the manifests of a folder that appeared on disk (created, moved or copied in). */
async function addFolderContents(context: ServerContext, directory: string): Promise<void> {
  const placement = context.homes.placementOf(pathToUri(directory));
  if (placement.kind !== 'folder') {
    return;
  }
  const folder = placement.home;
  const walk = walkManifests(directory, {
    skipDirectory: (child) => folder.isExcluded(child) || context.homes.isOtherFolderRoot(folder, child),
    skipFile: (file) => folder.isExcluded(file),
    onError: (child, error) => context.log.warn(`Cannot list ${child}: ${describeError(error)}`),
    links: linkPolicy(context, folder),
  });
  const pacer = new Pacer();
  for await (const filePath of walk) {
    reloadFromDisk(context, pathToUri(filePath));
    await pacer.pause();
  }
}
