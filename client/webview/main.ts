/**
 * Entry point of the traffic preview page (bundled to dist/webview.js). In a VS Code webview the
 * data arrives as `HostMessage`s from the extension; in a standalone page written by
 * `service-lens preview` it is embedded as JSON. Either way it is validated before it is rendered.
 */
import type { HostMessage, SourceLink, TrafficPreview, TrafficScope } from '../../server/src/protocol/traffic';
import { element, fileLink, replaceChildren } from './dom';
import { parseHostMessage, parseStandaloneData } from './messages';
import { renderEmpty, renderPreview } from './render';
import { connectHost, type Actions } from './state';

const STATUS_MILLISECONDS = 2500;

function start(): void {
  const host = connectHost();
  const root = document.getElementById('app') ?? document.body.appendChild(element('div', { attributes: { id: 'app' } }));
  const status = document.body.appendChild(element('div', { className: 'status', attributes: { role: 'status', 'aria-live': 'polite' } }));
  const embedded = readEmbedded();
  const restored = host.restore();

  let scope: TrafficScope = restored?.scope ?? 'service';
  let preview: TrafficPreview<SourceLink> | undefined = restored?.preview;
  let statusTimer: ReturnType<typeof setTimeout> | undefined;

  const showStatus = (children: readonly (Node | string)[], sticky: boolean): void => {
    if (statusTimer !== undefined) clearTimeout(statusTimer);
    replaceChildren(status, children);
    status.classList.add('visible');
    statusTimer = sticky ? undefined : setTimeout(() => status.classList.remove('visible'), STATUS_MILLISECONDS);
  };

  const actions: Actions = {
    reveal: (location, what) => {
      if (host.kind === 'vscode') host.post({ type: 'reveal', location });
      else showStatus([`${what}: `, fileLink(lineUrl(location), displayPath(location, embedded?.sourceRoot))], true);
    },
    copy: (text) => {
      if (host.kind === 'vscode') {
        host.post({ type: 'copy', text });
        showStatus([`Copied ${text}`], false);
        return;
      }
      copyInPage(text).then(
        () => showStatus([`Copied ${text}`], false),
        () => showStatus([`Could not copy; select the text instead: ${text}`], true),
      );
    },
    scope: (next) => {
      scope = next;
      host.save(scope, preview);
      host.post({ type: 'scope', scope: next });
    },
    overlay: (id) => {
      host.post({ type: 'overlay', overlay: id });
    },
  };

  const show = (message: HostMessage): void => {
    const options = { scopes: host.kind === 'vscode', scope };
    if (message.type === 'preview') {
      preview = message.preview;
      if (preview.scope !== 'workspace') scope = preview.scope;
      renderPreview(root, preview, actions, { ...options, scope });
    } else {
      preview = undefined;
      renderEmpty(root, message.reason, actions, options);
    }
    host.save(scope, preview);
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = parseHostMessage(event.data);
    if (message !== undefined) show(message);
  });

  if (embedded !== undefined) show(embedded.message);
  else if (preview !== undefined) show({ type: 'preview', preview });
  else renderEmpty(root, host.kind === 'vscode' ? 'Loading…' : 'No preview data in this page.', actions, { scopes: host.kind === 'vscode', scope });
  host.post({ type: 'ready' });
}

function readEmbedded(): ReturnType<typeof parseStandaloneData> {
  const data = document.getElementById('preview-data');
  return data === null ? undefined : parseStandaloneData(data.textContent ?? '');
}

/** The file URL with the 1-based line as a fragment (`#L12`), which viewers that understand it use. */
function lineUrl(location: SourceLink): string {
  return `${location.uri.replace(/#.*$/, '')}#L${location.line + 1}`;
}

/** `shop/web.yaml:12`: the path relative to the page's source root when inside it, else the full path. */
function displayPath(location: SourceLink, sourceRoot: string | undefined): string {
  let shown = location.uri;
  if (sourceRoot !== undefined) {
    const root = sourceRoot.endsWith('/') ? sourceRoot : `${sourceRoot}/`;
    if (shown.startsWith(root)) shown = shown.slice(root.length);
  }
  shown = shown.replace(/^file:\/\//i, '');
  try {
    shown = decodeURIComponent(shown);
  } catch {
    // Keep the encoded form when it does not decode.
  }
  return `${shown}:${location.line + 1}`;
}

async function copyInPage(text: string): Promise<void> {
  if (navigator.clipboard === undefined) throw new Error('no clipboard');
  await navigator.clipboard.writeText(text);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
