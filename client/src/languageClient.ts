import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { DIAGNOSTIC_SOURCE, SETTINGS_SECTION, type InitializationOptions } from '../../server/src/protocol/settings';
import type { TrustInitializationOptions } from '../../server/src/protocol/trust';
import { trustPreviewLinks } from './preview/hoverLinks';
import { RestartPolicy } from './restartPolicy';
import { bundledRuleDocLinks } from './ruleDocs';
import { SERVER_HEAP_FLAGS } from './serverFlags';

const DEBUG_PORT = 6009;

/**
 * A language client for the bundled server (`dist/server.js`), talking over Node IPC, started
 * with `SERVER_HEAP_FLAGS`. YAML and JSON documents are synchronised whether saved (`file`) or not
 * (`untitled`).
 */
export function createLanguageClient(
  extension: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  watcher: vscode.FileSystemWatcher,
): LanguageClient {
  const serverModule = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_HEAP_FLAGS] } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_HEAP_FLAGS, '--nolazy', `--inspect=${DEBUG_PORT}`] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...['yaml', 'json'].flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      // A kustomization named `Kustomization` has no extension, so no YAML language of its own.
      { scheme: 'file', pattern: '**/Kustomization' },
    ],
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: watcher,
    },
    outputChannel: output,
    diagnosticCollectionName: DIAGNOSTIC_SOURCE,
    middleware: { provideHover: trustPreviewLinks, handleDiagnostics: bundledRuleDocLinks },
    errorHandler: restartingErrorHandler(output),
    // Read at every start, so a server restarted after the user trusts the workspace knows it.
    initializationOptions: (): InitializationOptions & TrustInitializationOptions => ({
      storageUri: extension.storageUri?.toString(),
      workspaceTrusted: vscode.workspace.isTrusted,
    }),
  };
  // The id doubles as the settings prefix of the protocol trace: `serviceLens.trace.server`.
  return new LanguageClient(SETTINGS_SECTION, 'Service Lens', serverOptions, clientOptions);
}

/** Connection errors: a few are tolerated (and logged) before the client shuts the connection down. */
const TOLERATED_CONNECTION_ERRORS = 3;

/**
 * Restarts a crashed server as RestartPolicy decides. Restarts are only logged (the client writes
 * the message to the output channel); when the policy gives up, the user is told once.
 */
function restartingErrorHandler(output: vscode.LogOutputChannel): ErrorHandler {
  const policy = new RestartPolicy();
  return {
    error: (_error, _message, count) =>
      count !== undefined && count <= TOLERATED_CONNECTION_ERRORS ? { action: ErrorAction.Continue, handled: true } : { action: ErrorAction.Shutdown },
    closed: () => {
      const decision = policy.onCrash();
      if (decision.action === 'restart') {
        return { action: CloseAction.Restart, message: decision.message, handled: true };
      }
      const showOutput = 'Show Output';
      void vscode.window.showErrorMessage(decision.message, showOutput).then((choice) => {
        if (choice === showOutput) output.show(true);
      });
      return { action: CloseAction.DoNotRestart, message: decision.message, handled: true };
    },
  };
}
