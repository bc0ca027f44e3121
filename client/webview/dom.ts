/**
 * The only way the page creates DOM: elements from tag names, text through text nodes, and a closed
 * list of attributes. Manifest strings can therefore only ever become text, never markup, and never
 * an event handler, a style or a URL (file links go through `fileLink`, which accepts `file:` only).
 * Every string becomes its own `<bdi>` (bidi-isolated, direction from its own text), so a
 * right-to-left name never reorders the text around it, and bidi controls inside it are shown as
 * visible `<U+202E>` markers instead of being applied (bidi.ts).
 */
import { bidiParts, showBidiControls } from './bidi';
import { isFileUrl } from './messages';

type SafeAttribute =
  | 'id'
  | 'role'
  | 'title'
  | 'tabindex'
  | 'type'
  | 'name'
  | 'value'
  | 'for'
  | 'open'
  | 'scope'
  | `aria-${string}`
  | `data-${string}`;

export type Child = Node | string | undefined | null | false;

export interface ElementOptions {
  readonly className?: string;
  readonly attributes?: Readonly<Partial<Record<SafeAttribute, string>>>;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (options.className !== undefined) created.className = options.className;
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    if (value !== undefined) created.setAttribute(name, name === 'title' || name.startsWith('aria-') ? showBidiControls(value) : value);
  }
  append(created, children);
  return created;
}

export function append(parent: Node, children: readonly Child[]): void {
  const html = parent instanceof HTMLElement;
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (typeof child !== 'string') parent.appendChild(child);
    else if (html) parent.appendChild(isolatedText(child));
    else parent.appendChild(document.createTextNode(showBidiControls(child)));
  }
}

/** A string as a `<bdi>`: its text, with each bidi control as a visible `<U+XXXX>` marker. */
function isolatedText(text: string): HTMLElement {
  const isolate = document.createElement('bdi');
  for (const part of bidiParts(text)) {
    if (part.kind === 'text') {
      isolate.appendChild(document.createTextNode(part.text));
      continue;
    }
    const marker = document.createElement('span');
    marker.className = 'bidi-control';
    marker.title = `Bidirectional control character ${part.code}, shown instead of applied`;
    marker.textContent = `<${part.code}>`;
    isolate.appendChild(marker);
  }
  return isolate;
}

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

type SvgAttribute = 'class' | 'd' | 'width' | 'height' | 'viewBox' | 'aria-hidden' | 'focusable' | 'data-from' | 'data-to';

export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Readonly<Partial<Record<SvgAttribute, string>>> = {},
  children: readonly Child[] = [],
): SVGElementTagNameMap[K] {
  const created = document.createElementNS(SVG_NAMESPACE, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) created.setAttribute(name, value);
  }
  append(created, children);
  return created;
}

/** A link to a local file, or plain text when the URL is not a `file:` URL. */
export function fileLink(url: string, text: string): HTMLElement {
  if (!isFileUrl(url)) return element('span', { className: 'file' }, [text]);
  const link = element('a', { className: 'file' }, [text]);
  link.href = url;
  return link;
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, children: readonly Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let nextId = 0;

/** A document-unique id, never derived from manifest text. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
