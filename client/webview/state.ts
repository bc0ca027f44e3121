/**
 * Where the page runs: inside a VS Code webview (messages go to the extension, state survives a
 * reload through `getState`/`setState`) or as a standalone page written by `service-lens preview`
 * (no extension: copy uses the clipboard, reveal shows a link to the file).
 */
import type { PreviewState, SourceLink, TrafficPreview, TrafficScope, ViewMessage } from '../../server/src/protocol/traffic';
import { parsePreviewState } from './messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Defined by VS Code in webviews; absent in a standalone page.
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
}

export interface Host {
  readonly kind: 'vscode' | 'standalone';
  post(message: ViewMessage): void;
  /** State saved by a previous instance of this page, validated. */
  restore(): PreviewState | undefined;
  /** Remembers the scope and the shown preview, keeping what the extension stored (uri, position). */
  save(scope: TrafficScope, preview: TrafficPreview<SourceLink> | undefined): void;
}

export function connectHost(): Host {
  const acquire = globalThis.acquireVsCodeApi;
  if (typeof acquire !== 'function') return standaloneHost();
  const api = acquire();
  return {
    kind: 'vscode',
    post: (message) => api.postMessage(message),
    restore: () => parsePreviewState(api.getState()),
    save: (scope, preview) => {
      const previous = parsePreviewState(api.getState());
      const next: PreviewState = {
        scope,
        ...(previous?.uri === undefined ? {} : { uri: previous.uri }),
        ...(previous?.position === undefined ? {} : { position: previous.position }),
        ...(preview === undefined ? {} : { preview }),
      };
      api.setState(next);
    },
  };
}

function standaloneHost(): Host {
  return {
    kind: 'standalone',
    post: () => undefined,
    restore: () => undefined,
    save: () => undefined,
  };
}

/** What a rendered control can do; main.ts implements it for the host the page runs in. */
export interface Actions {
  /** Show where `what` is defined (the editor reveals it; a standalone page shows a file link). */
  reveal(location: SourceLink, what: string): void;
  copy(text: string): void;
  scope(scope: TrafficScope): void;
  /** Preview the file as another kustomize build makes it (an `OverlayChoice.id`). */
  overlay(id: string): void;
}
