/**
 * Settings and workspace folders over the session: reads each folder's settings, applies them to
 * its home, rescans folders whose exclude globs changed, and adds or drops homes when the
 * client's workspace folders change.
 */
import { DidChangeConfigurationNotification, type WorkspaceFoldersChangeEvent } from 'vscode-languageserver/node';
import { FILES_EXCLUDE_SECTION, SETTINGS_SECTION } from '../protocol/settings';
import type { ServerContext } from './context';
import { indexFolders } from './indexer';
import { readScopeSettings, sameHelmSettings, sameWalk } from './settings';
import { replaceOpenDocuments } from './sync';
import type { FolderHome } from './homes';
import { canonicalUri, isInside } from './uris';

export async function registerConfigurationChanges(context: ServerContext): Promise<void> {
  if (context.features.configurationDynamic) {
    await context.connection.client.register(DidChangeConfigurationNotification.type, {
      section: [SETTINGS_SECTION, FILES_EXCLUDE_SECTION],
    });
  }
}

/**
 * Re-reads the settings of every scope. Returns the folders whose exclude globs or link policy changed (they need a
 * rescan), after moving open documents to their new homes.
 */
export async function refreshSettings(context: ServerContext): Promise<FolderHome[]> {
  const { connection, features, homes, publisher } = context;
  publisher.schedule(homes.setLooseSettings(await readScopeSettings(connection, undefined, features.configuration)));
  const changedGlobs: FolderHome[] = [];
  for (const folder of homes.folders) {
    const settings = await readScopeSettings(connection, folder.uri, features.configuration);
    if (homes.folderByUri(folder.uri) !== folder) {
      continue; // removed while reading
    }
    if (!sameWalk(folder.settings, settings)) {
      changedGlobs.push(folder);
    }
    const helmChanged = !sameHelmSettings(folder.settings.helm, settings.helm);
    publisher.schedule(folder.applySettings(settings));
    if (helmChanged && context.firstScanQueued) context.charts.refreshFolder(folder);
  }
  if (changedGlobs.length > 0) {
    replaceOpenDocuments(context);
  }
  return changedGlobs;
}

export async function onConfigurationChanged(context: ServerContext): Promise<void> {
  const rescan = await refreshSettings(context);
  if (rescan.length > 0 && context.firstScanQueued) {
    await context.serial('Re-indexing', () => indexFolders(context, rescan, 'Service Lens: re-indexing manifests'));
    for (const folder of rescan) context.charts.refreshFolder(folder);
  }
}

export async function onWorkspaceFoldersChanged(context: ServerContext, event: WorkspaceFoldersChangeEvent): Promise<void> {
  const { connection, features, homes, publisher } = context;
  const rescan = new Set<FolderHome>();
  for (const removed of event.removed) {
    const uri = canonicalUri(removed.uri);
    const folder = homes.folderByUri(uri);
    publisher.schedule(homes.removeFolder(uri));
    // Files of a removed nested folder fall back to the folder around it.
    for (const outer of homes.folders) {
      if (folder && isInside(outer.path, folder.path)) {
        rescan.add(outer);
      }
    }
  }
  for (const added of event.added) {
    const uri = canonicalUri(added.uri);
    const settings = await readScopeSettings(connection, uri, features.configuration);
    rescan.add(homes.addFolder(uri, added.name, settings));
  }
  replaceOpenDocuments(context);
  // Before the first scan is queued, that scan covers every folder (added ones included).
  if (rescan.size > 0 && context.firstScanQueued) {
    await context.serial('Indexing added folders', () => indexFolders(context, [...rescan], 'Service Lens: indexing manifests'));
    for (const folder of rescan) context.charts.refreshFolder(folder);
  }
}
