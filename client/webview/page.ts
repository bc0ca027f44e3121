/**
 * The HTML of the traffic preview page, built on the Node side (no DOM) for both of its uses:
 *
 * - the VS Code panel: `renderPreviewPage({ kind: 'webview', scriptUri, styleUri, cspSource, nonce })`
 *   with the URIs of dist/webview.js and dist/webview.css from `webview.asWebviewUri(…)` and
 *   `webview.cspSource`; the data then arrives by `postMessage`;
 * - the standalone page of `service-lens preview`: `renderPreviewPage({ kind: 'standalone', script,
 *   style, nonce, message })` with the texts of the same two files inlined and the data embedded.
 *
 * Both carry a strict content security policy: nothing runs without the nonce, no inline styles
 * or eval, no external resources. Embedded data sits in a JSON script element, escaped so that no
 * string in it can close the element, and the page reads it with `JSON.parse(textContent)`.
 *
 * This is the one file under client/webview that runs in Node (it imports node:crypto).
 */
import { showBidiControls } from './bidi';
import { randomBytes } from 'node:crypto';
import type { HostMessage } from '../../server/src/protocol/traffic';
import type { StandaloneData } from './messages';

export interface WebviewPageOptions {
  readonly kind: 'webview';
  /** `webview.asWebviewUri(<extension>/dist/webview.js).toString()` */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(<extension>/dist/webview.css).toString()` */
  readonly styleUri: string;
  /** `webview.cspSource` */
  readonly cspSource: string;
  /** A fresh `createNonce()` for every page. */
  readonly nonce: string;
  readonly title?: string;
}

export interface StandalonePageOptions {
  readonly kind: 'standalone';
  /** The text of dist/webview.js. */
  readonly script: string;
  /** The text of dist/webview.css. */
  readonly style: string;
  /** A fresh `createNonce()` for every page. */
  readonly nonce: string;
  /** What the page shows, as the extension would post it. */
  readonly message: HostMessage;
  /** A `file://` URL of the folder that file links are shown relative to (the working directory). */
  readonly sourceRoot?: string;
  readonly title?: string;
}

export type PreviewPageOptions = WebviewPageOptions | StandalonePageOptions;

const DEFAULT_TITLE = 'Traffic preview';

/** A nonce for one page: 18 random bytes, base64 (24 characters). */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The whole HTML document for the panel or the standalone page. */
export function renderPreviewPage(options: PreviewPageOptions): string {
  const nonce = checkNonce(options.nonce);
  const title = escapeText(showBidiControls(options.title ?? DEFAULT_TITLE));
  if (options.kind === 'webview') {
    const source = checkCspSource(options.cspSource);
    const policy = contentSecurityPolicy(nonce, source);
    return document(policy, title, [
      `<link rel="stylesheet" nonce="${nonce}" href="${escapeAttribute(options.styleUri)}">`,
    ], [`<script nonce="${nonce}" src="${escapeAttribute(options.scriptUri)}"></script>`]);
  }
  const data: StandaloneData = {
    message: options.message,
    ...(options.sourceRoot === undefined ? {} : { sourceRoot: options.sourceRoot }),
  };
  const policy = contentSecurityPolicy(nonce, undefined);
  return document(policy, title, [`<style nonce="${nonce}">\n${inlineStyle(options.style)}\n</style>`], [
    `<script type="application/json" id="preview-data" nonce="${nonce}">${embedJson(data)}</script>`,
    `<script nonce="${nonce}">\n${inlineScript(options.script)}\n</script>`,
    '<noscript><p>The traffic preview needs JavaScript.</p></noscript>',
  ]);
}

function document(policy: string, title: string, head: readonly string[], body: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    ...head,
    '</head>',
    '<body>',
    '<div id="app"></div>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** `default-src 'none'`, nonce scripts and styles, images only from the webview's own source or data URLs. */
export function contentSecurityPolicy(nonce: string, cspSource: string | undefined): string {
  const own = cspSource === undefined ? '' : `${cspSource} `;
  return [
    "default-src 'none'",
    `img-src ${own}data:`,
    `style-src ${own}'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ') + ';';
}

/**
 * JSON that is safe inside a `<script>` element: `<`, `>` and `&` cannot start or end markup, and
 * U+2028/U+2029 are escaped too (older JavaScript parsers treat them as line ends).
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The bundle inlined: without its source map comment, and unable to end its own script element. */
function inlineScript(script: string): string {
  const text = withoutSourceMap(script);
  // `<!--` or `<script` would change how the HTML parser finds the end of the element.
  if (/<!--|<script/i.test(text)) throw new Error('The script contains "<!--" or "<script" and cannot be inlined.');
  // Valid JavaScript has `</script` only inside strings, templates, regular expressions or comments, where `<\/` means the same.
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

function inlineStyle(style: string): string {
  const text = withoutSourceMap(style);
  if (/<\/style/i.test(text)) throw new Error('The stylesheet contains "</style" and cannot be inlined.');
  return text;
}

function withoutSourceMap(text: string): string {
  return text.replace(/\n?(?:\/\/# sourceMappingURL=[^\n]*|\/\*# sourceMappingURL=[^*]*\*\/)\s*$/, '');
}

function checkNonce(nonce: string): string {
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(nonce)) throw new Error('A page nonce must be at least 16 base64 characters.');
  return nonce;
}

/**
 * `webview.cspSource` is one or more host or scheme sources, and `'self'` (code-server gives
 * `'self' https://*.vscode-cdn.net`); nothing that could end the directive or weaken it
 * (`'unsafe-inline'`, a nonce, a hash).
 */
function checkCspSource(source: string): string {
  const tokens = source.split(' ');
  if (!tokens.every((token) => token === "'self'" || /^[^\s;,'"<>]+$/.test(token))) {
    throw new Error(`Not a content security policy source: ${JSON.stringify(source)}`);
  }
  return source;
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (character) => ENTITIES[character] ?? character);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
