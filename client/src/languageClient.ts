import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE, SETTINGS_SECTION } from '../../server/src/protocol/settings';

const DEBUG_PORT = 6009;

/**
 * A language client for the bundled server (`dist/server.js`), talking over Node IPC.
 * YAML and JSON documents are synchronised whether saved (`file`) or not (`untitled`).
 */
export function createLanguageClient(
  extension: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  watcher: vscode.FileSystemWatcher,
): LanguageClient {
  const serverModule = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', `--inspect=${DEBUG_PORT}`] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['yaml', 'json'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: watcher,
    },
    outputChannel: output,
    diagnosticCollectionName: DIAGNOSTIC_SOURCE,
  };
  // The id doubles as the settings prefix of the protocol trace: `serviceLens.trace.server`.
  return new LanguageClient(SETTINGS_SECTION, 'Service Lens', serverOptions, clientOptions);
}
