import * as vscode from 'vscode';
import type { HostMessage, SourceLink, TrafficPreview, TrafficPreviewParams, ViewMessage } from '../../../server/src/protocol/traffic';
import { previewHtml, webviewOptions } from './html';
import { parseViewMessage, type PanelScope, type PreviewTarget } from './messages';

export type FetchPreview = (params: TrafficPreviewParams) => Promise<TrafficPreview<SourceLink> | null>;

const TITLE = 'Traffic Preview';
const CURSOR_DELAY_MS = 250;
const CHANGE_DELAY_MS = 300;
const NO_MANIFEST = 'Open a Kubernetes manifest (YAML or JSON) and place the cursor in a Service.';
const NOTHING_IN_SCOPE: Readonly<Record<PanelScope, string>> = {
  service: 'No Service under the cursor.',
  file: 'No Services in this file.',
  namespace: 'No Services in this namespace.',
};

/**
 * One open traffic preview panel: what it previews (a cursor and a scope), the requests to the
 * language server, and the messages to and from its page. Requests are debounced; a request runs
 * again only when the target or scope changed or something it depends on did; the page is sent a
 * message only when it differs from what it shows.
 */
export class PreviewSession implements vscode.Disposable {
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.disposeEmitter];
  private target: PreviewTarget | undefined;
  /** The target whose preview the page shows, if it shows one. */
  private shownTarget: PreviewTarget | undefined;
  /** The last message sent (as JSON, for comparison), re-sent when the page reloads. */
  private lastMessage: { readonly message: HostMessage; readonly json: string } | undefined;
  /** Key of the last request; cleared when its answer may have changed. */
  private requestedKey: string | undefined;
  /** Set by the command: an empty answer is shown even when the page shows a preview. */
  private explicit = true;
  /** The selection a reveal from the page makes, which the panel does not follow. */
  private revealedSelection: PreviewTarget | undefined;
  /** The kustomize build the page chose (an `OverlayChoice.id`); the server falls back when it is no choice of the file. */
  private overlay: string | undefined;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly fetch: FetchPreview,
    target: PreviewTarget | undefined,
    private scope: PanelScope,
  ) {
    this.target = target;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = previewHtml(panel.webview, extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(parseViewMessage(message))),
      panel.onDidChangeViewState(() => this.schedule(0)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.schedule(0);
  }

  /** The command ran again: preview `target` (when given) and show what comes back, even nothing. */
  show(target: PreviewTarget | undefined): void {
    if (target) this.target = target;
    this.explicit = true;
    this.requestedKey = undefined;
    this.schedule(0);
  }

  /** The cursor moved in a manifest editor. */
  follow(target: PreviewTarget): void {
    if (this.revealedSelection && sameTarget(this.revealedSelection, target)) return;
    this.revealedSelection = undefined;
    this.target = target;
    this.schedule(CURSOR_DELAY_MS);
  }

  /** A document or the workspace changed: the preview may have too. */
  invalidate(): void {
    this.requestedKey = undefined;
    this.schedule(CHANGE_DELAY_MS);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    this.disposeEmitter.fire();
    for (const disposable of this.disposables.splice(0).reverse()) disposable.dispose();
    this.panel.dispose();
  }

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delayMs);
  }

  private async update(): Promise<void> {
    // A hidden panel waits: becoming visible schedules an update.
    if (this.disposed || !this.panel.visible) return;
    const target = this.target;
    if (!target) {
      this.shownTarget = undefined;
      this.post({ type: 'empty', reason: NO_MANIFEST });
      return;
    }
    const scope = this.scope;
    const overlay = this.overlay;
    const key = requestKey(target, scope, overlay);
    if (key === this.requestedKey) return;
    this.requestedKey = key;
    const explicit = this.explicit;
    this.explicit = false;
    const generation = ++this.generation;
    let message: HostMessage;
    try {
      const preview = await this.fetch({ uri: target.uri, position: target.position, scope, ...(overlay === undefined ? {} : { overlay }) });
      message = preview ? { type: 'preview', preview } : { type: 'empty', reason: NOTHING_IN_SCOPE[scope] };
    } catch (error) {
      this.requestedKey = undefined;
      message = { type: 'empty', reason: `The Service Lens language server did not answer: ${describe(error)}` };
    }
    if (this.disposed || generation !== this.generation) return;
    const shown = this.shownTarget;
    if (message.type === 'empty' && !explicit && shown && requestKey(shown, scope, overlay) !== key) {
      // The cursor left the Services: keep showing the last one, refreshed (it may have been edited
      // meanwhile), unless the cursor has moved on again.
      if (this.target === target) {
        this.target = shown;
        this.requestedKey = undefined;
        this.schedule(0);
      }
      return;
    }
    this.shownTarget = message.type === 'preview' ? target : undefined;
    this.post(message);
  }

  private post(message: HostMessage): void {
    const json = JSON.stringify(message);
    if (json === this.lastMessage?.json) return;
    this.lastMessage = { message, json };
    this.panel.title = message.type === 'preview' ? `${TITLE}: ${message.preview.title}` : TITLE;
    void this.panel.webview.postMessage(message);
  }

  private receive(message: ViewMessage | undefined): void {
    switch (message?.type) {
      case 'ready':
        // A (re)loaded page: give it the current content.
        if (this.lastMessage) void this.panel.webview.postMessage(this.lastMessage.message);
        else this.schedule(0);
        break;
      case 'scope':
        if (message.scope !== 'workspace' && message.scope !== this.scope) {
          this.scope = message.scope;
          this.explicit = true;
          this.schedule(0);
        }
        break;
      case 'overlay':
        if (message.overlay !== this.overlay) {
          this.overlay = message.overlay;
          this.explicit = true;
          this.schedule(0);
        }
        break;
      case 'reveal':
        void this.reveal(message.location);
        break;
      case 'copy':
        void this.copy(message.text);
        break;
    }
  }

  /** Opens the document of `location` in the first column, with the rest of its line selected. */
  private async reveal(location: SourceLink): Promise<void> {
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri, true));
      const start = document.validatePosition(new vscode.Position(location.line, location.character));
      const selection = new vscode.Selection(start, document.lineAt(start.line).range.end);
      this.revealedSelection = { uri: document.uri.toString(), position: { line: selection.active.line, character: selection.active.character } };
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection });
      editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (error) {
      this.revealedSelection = undefined;
      void vscode.window.showWarningMessage(`Service Lens could not open ${location.uri}: ${describe(error)}`);
    }
  }

  private async copy(text: string): Promise<void> {
    try {
      await vscode.env.clipboard.writeText(text);
    } catch (error) {
      void vscode.window.showWarningMessage(`Service Lens could not copy to the clipboard: ${describe(error)}`);
      return;
    }
    const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    vscode.window.setStatusBarMessage(`$(copy) Copied ${shown.replace(/\s+/g, ' ')}`, 3000);
  }
}

/** Requests with equal keys get equal answers while nothing changes. */
function requestKey(target: PreviewTarget, scope: PanelScope, overlay: string | undefined): string {
  return JSON.stringify(scope === 'service' ? [scope, overlay ?? null, target.uri, target.position.line, target.position.character] : [scope, overlay ?? null, target.uri]);
}

function sameTarget(left: PreviewTarget, right: PreviewTarget): boolean {
  return left.uri === right.uri && left.position.line === right.position.line && left.position.character === right.position.character;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
