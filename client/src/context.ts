import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from './commands';
import { MANIFEST_GLOB } from '../../server/src/protocol/settings';
import { INDEXING_NOTIFICATION, isIndexingParams } from '../../server/src/protocol/status';
import { WORKSPACE_TRUSTED_NOTIFICATION } from '../../server/src/protocol/trust';
import { createLanguageClient } from './languageClient';
import { PreviewController } from './preview/controller';
import { registerRuleDocCommand } from './ruleDocs';
import { registerShowReferences } from './showReferences';
import { StatusBar, type ServerStatus } from './statusBar';

/**
 * Everything the extension holds while it is active: the output channel, the status bar item,
 * the file watcher, the commands, the traffic preview and the language client. It owns their
 * disposables and releases them, client first, when the extension deactivates.
 */
export class Context implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly statusBar: StatusBar;
  private readonly client: LanguageClient;
  private disposed = false;

  constructor(extension: vscode.ExtensionContext) {
    this.output = this.own(vscode.window.createOutputChannel('Service Lens', { log: true }));
    this.statusBar = this.own(new StatusBar());
    const watcher = this.own(vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB));
    this.client = createLanguageClient(extension, this.output, watcher);
    this.own(this.client.onDidChangeState(({ newState }) => this.statusBar.setStatus(serverStatus(newState))));
    this.own(
      this.client.onNotification(INDEXING_NOTIFICATION, (params: unknown) => {
        if (isIndexingParams(params)) this.statusBar.setIndexing(params);
      }),
    );
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.notifyTrusted()));
    this.own(vscode.commands.registerCommand(COMMANDS.restartServer, () => this.restart()));
    this.own(vscode.commands.registerCommand(COMMANDS.showOutput, () => this.output.show(true)));
    this.own(registerRuleDocCommand(extension.extensionUri, this.output));
    this.own(registerShowReferences(this.client));
    this.own(new PreviewController(extension.extensionUri, this.client));
  }

  /** Registers a disposable to be released with the context; returns it for chaining. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** Starts the language server. A failure is logged and shown; the commands stay available. */
  async start(): Promise<void> {
    try {
      await this.client.start();
    } catch (error) {
      this.reportFailure('start', error);
    }
  }

  /**
   * Tells the server that the workspace is now trusted (Helm charts may be rendered); a server
   * still starting gets it once started. A stopped server learns it from its initialization
   * options when it starts again.
   */
  private async notifyTrusted(): Promise<void> {
    if (this.disposed || this.client.state === State.Stopped) return;
    try {
      await this.client.sendNotification(WORKSPACE_TRUSTED_NOTIFICATION, {});
    } catch (error) {
      this.output.error(`Could not tell the language server that the workspace is trusted: ${describe(error)}`);
    }
  }

  async restart(): Promise<void> {
    if (this.disposed) return;
    this.output.info('Restarting the language server.');
    try {
      if (this.client.needsStop()) await this.client.stop();
      await this.client.start();
    } catch (error) {
      this.reportFailure('restart', error);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    try {
      await this.client.dispose();
    } catch (error) {
      this.output.error(`Stopping the language server failed: ${describe(error)}`);
    }
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
  }

  private reportFailure(action: 'start' | 'restart', error: unknown): void {
    this.output.error(`Could not ${action} the language server: ${describe(error)}`);
    this.statusBar.setStatus('stopped');
    const showOutput = 'Show Output';
    void vscode.window
      .showErrorMessage(`Service Lens could not ${action} its language server.`, showOutput)
      .then((choice) => {
        if (choice === showOutput) this.output.show(true);
      });
  }
}

function serverStatus(state: State): ServerStatus {
  switch (state) {
    case State.Starting:
      return 'starting';
    case State.Running:
      return 'running';
    default:
      return 'stopped';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
