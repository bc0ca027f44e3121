/**
 * The Service Lens language server: wiring of LSP messages to the session. Runs over stdio
 * (`--stdio`), IPC or sockets, as the client chooses; see docs/architecture.md for the layers.
 */
import * as path from 'node:path';
import {
  CodeActionKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  createConnection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { onConfigurationChanged, onWorkspaceFoldersChanged, refreshSettings, registerConfigurationChanges } from './configuration';
import { ServerContext, describeError, type ClientFeatures } from './context';
import { isManifestDocument } from './documents';
import { guard } from './guard';
import { provideCodeActions } from './codeActions';
import { provideCodeLenses } from './codeLens';
import { provideCompletion } from './completion';
import { provideDefinition } from './definition';
import { provideHover } from './hover';
import { provideReferences } from './references';
import { providePrepareRename, provideRename } from './rename';
import { provideDocumentSymbols } from './symbols';
import { indexFolders } from './indexer';
import { onReread } from './homes';
import { DEFAULT_SCOPE_SETTINGS } from './settings';
import { applyText, reloadFromDisk } from './sync';
import { provideTrafficPreview } from './traffic';
import { canonicalUri, pathToUri, uriToPath } from './uris';
import { onWatchedFilesChanged, registerWatchers } from './watcher';
import type { InitializationOptions } from '../protocol/settings';
import { TRAFFIC_PREVIEW_REQUEST } from '../protocol/traffic';
import { WORKSPACE_TRUSTED_NOTIFICATION, isWorkspaceTrusted } from '../protocol/trust';

const connection = createConnection(ProposedFeatures.all);
const context = new ServerContext(connection);

// A kustomize build needs a file whose text the engine did not keep: send it again, from the
// editor when it is open, else from the disk (after the current change, never inside it).
onReread((uris) => {
  setImmediate(() => {
    void context.serial('Reading files a kustomize build needs', async () => {
      for (const uri of uris) {
        const document = context.documents.get(uri);
        if (document) applyText(context, uri, document.getText(), 'editor');
        else reloadFromDisk(context, uri);
      }
    });
  });
});
const { log } = context;

// Last line of defence: handlers are guarded, but a stray exception in a callback must not end the session.
process.on('uncaughtException', (error) => logQuietly(`Uncaught exception: ${describeError(error)}`));
process.on('unhandledRejection', (reason) => logQuietly(`Unhandled rejection: ${describeError(reason)}`));

connection.onInitialize(
  guard(log, 'initialize', { capabilities: {} }, (params: InitializeParams): InitializeResult => {
    context.features = clientFeatures(params);
    context.charts.setTrusted(isWorkspaceTrusted(params.initializationOptions));
    context.cacheDirectory = cacheDirectory(params.initializationOptions);
    for (const folder of initialFolders(params)) {
      context.homes.addFolder(folder.uri, folder.name, DEFAULT_SCOPE_SETTINGS);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: [':', ' '] },
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'Service Lens' },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'service-lens' },
    };
  }),
);

connection.onInitialized(
  guard(log, 'initialized', undefined, async () => {
    if (context.features.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guard(log, 'workspace/didChangeWorkspaceFolders', undefined, (event) => onWorkspaceFoldersChanged(context, event)),
      );
    }
    await Promise.all([registerWatchers(context), registerConfigurationChanges(context)]);
    await refreshSettings(context);
    context.firstScanQueued = true;
    await context.serial('Indexing', () => indexFolders(context, context.homes.folders, 'Service Lens: indexing manifests'));
    for (const folder of context.homes.folders) context.charts.refreshFolder(folder);
  }),
);

connection.onDidOpenTextDocument(
  guard(log, 'textDocument/didOpen', undefined, ({ textDocument }) => {
    const document = context.documents.open(canonicalUri(textDocument.uri), textDocument.languageId, textDocument.version, textDocument.text);
    if (isManifestDocument(document)) {
      applyText(context, document.uri, document.getText(), 'editor');
    }
  }),
);

connection.onDidChangeTextDocument(
  guard(log, 'textDocument/didChange', undefined, ({ textDocument, contentChanges }) => {
    const document = context.documents.change(canonicalUri(textDocument.uri), textDocument.version, contentChanges);
    if (document && isManifestDocument(document)) {
      applyText(context, document.uri, document.getText(), 'editor');
    } else if (document) {
      // A chart's helpers (`_helpers.tpl`) and other non-manifest files render the chart again.
      context.charts.fileChanged(document.uri);
    }
  }),
);

connection.onDidCloseTextDocument(
  guard(log, 'textDocument/didClose', undefined, ({ textDocument }) => {
    const uri = canonicalUri(textDocument.uri);
    context.documents.close(uri);
    // Back to the disk's content (or out of the homes when it is not an indexed file).
    return context.serial('Reloading a closed document', async () => reloadFromDisk(context, uri));
  }),
);

connection.onHover(guard(log, 'textDocument/hover', null, (params) => provideHover(context, params)));

connection.onCompletion(guard(log, 'textDocument/completion', null, (params) => provideCompletion(context, params)));
connection.onDefinition(guard(log, 'textDocument/definition', null, (params) => provideDefinition(context, params)));
connection.onReferences(guard(log, 'textDocument/references', null, (params) => provideReferences(context, params)));
connection.onPrepareRename(guard(log, 'textDocument/prepareRename', null, (params) => providePrepareRename(context, params)));
connection.onRenameRequest(guard(log, 'textDocument/rename', null, (params) => provideRename(context, params)));
connection.onDocumentSymbol(guard(log, 'textDocument/documentSymbol', null, (params) => provideDocumentSymbols(context, params)));
connection.onCodeLens(guard(log, 'textDocument/codeLens', null, (params) => provideCodeLenses(context, params)));
connection.onCodeAction(guard(log, 'textDocument/codeAction', null, (params) => provideCodeActions(context, params)));

connection.onRequest(TRAFFIC_PREVIEW_REQUEST, guard(log, TRAFFIC_PREVIEW_REQUEST, null, (params: unknown) => provideTrafficPreview(context, params)));

connection.onDidChangeWatchedFiles(
  guard(log, 'workspace/didChangeWatchedFiles', undefined, ({ changes }) => onWatchedFilesChanged(context, changes)),
);

connection.onNotification(
  WORKSPACE_TRUSTED_NOTIFICATION,
  guard(log, WORKSPACE_TRUSTED_NOTIFICATION, undefined, () => context.charts.setTrusted(true)),
);

connection.onDidChangeConfiguration(guard(log, 'workspace/didChangeConfiguration', undefined, () => onConfigurationChanged(context)));

connection.listen();

/** Logs without throwing (the connection itself may be what failed). */
function logQuietly(message: string): void {
  try {
    log.error(message);
  } catch {
    // Nowhere left to report to.
  }
}

function clientFeatures(params: InitializeParams): ClientFeatures {
  const workspace = params.capabilities.workspace;
  return {
    configuration: workspace?.configuration === true,
    configurationDynamic: workspace?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: workspace?.workspaceFolders === true,
    watchedFilesDynamic: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    codeLensRefresh: workspace?.codeLens?.refreshSupport === true,
  };
}

/** The fact cache's folder from `initializationOptions.storageUri` (a `file:` URI), if the client gave one. */
function cacheDirectory(options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) {
    return undefined;
  }
  const storageUri = (options as InitializationOptions).storageUri;
  return typeof storageUri === 'string' ? uriToPath(canonicalUri(storageUri)) : undefined;
}

function initialFolders(params: InitializeParams): { uri: string; name: string }[] {
  if (params.workspaceFolders) {
    return params.workspaceFolders.map((folder) => ({ uri: canonicalUri(folder.uri), name: folder.name }));
  }
  const rootUri = params.rootUri ?? (params.rootPath ? pathToUri(params.rootPath) : null);
  if (!rootUri) {
    return [];
  }
  const uri = canonicalUri(rootUri);
  return [{ uri, name: path.basename(uriToPath(uri) ?? uri) }];
}
