/**
 * The Outline of a file: one symbol per object the engine reads (`Kind name`, with its namespace as
 * detail), a Service's ports as its children. Only spans of the file itself are used. With the
 * file's text, an object or port written as a flow mapping (JSON, `{port: 80}`) spans its braces:
 * a symbol's range encloses everything of it (LSP `DocumentSymbol.range`).
 */
import type { Snapshot } from '../analysis/snapshot';
import { isService, objectLabel } from '../model/objects';
import type { Span } from '../types';

export type SymbolKind = 'object' | 'service' | 'workload' | 'port';

export interface DocumentSymbolModel {
  readonly name: string;
  readonly detail: string;
  readonly kind: SymbolKind;
  /** The whole object (or port item). */
  readonly span: Span;
  /** What to select: the name value (or the port value). */
  readonly selectionSpan: Span;
  readonly children: readonly DocumentSymbolModel[];
}

export function documentSymbols(snapshot: Snapshot, fileId: string, text?: string): DocumentSymbolModel[] {
  const whole = (span: Span): Span => (text === undefined ? span : withBrackets(text, span));
  const out: DocumentSymbolModel[] = [];
  for (const object of snapshot.objectsOf(fileId)) {
    if (!inFile(object.span, object.fileId) || !inFile(object.nameSpan, object.fileId)) continue;
    const name = objectLabel(object).replace('/', ' ');
    const detail = `namespace ${object.namespace}`;
    if (isService(object)) {
      const children: DocumentSymbolModel[] = [];
      for (const port of object.ports) {
        if (!inFile(port.span, object.fileId)) continue;
        const number = port.port?.value;
        const target = port.targetPort?.value;
        const label = `${port.name?.value ?? 'port'} ${number ?? '?'}${target !== undefined && target !== number ? `→${target}` : ''}/${port.protocol}`;
        children.push({ name: label, detail: '', kind: 'port', span: whole(port.span), selectionSpan: port.port?.span ?? port.span, children: [] });
      }
      out.push({ name, detail, kind: 'service', span: whole(object.span), selectionSpan: object.nameSpan, children });
    } else {
      out.push({ name, detail, kind: object.shape === 'template' ? 'workload' : 'object', span: whole(object.span), selectionSpan: object.nameSpan, children: [] });
    }
  }
  return out;
}

/**
 * A mapping's span (first key to last value, as the readers give it) with the braces around it
 * when it is a flow mapping: a `{` before it (only spaces and line breaks between) and the `}` that
 * closes it, after the closers of the flow collections its last value opened and the span leaves
 * out. A block mapping's span is returned as it is.
 */
function withBrackets(text: string, span: Span): Span {
  let start = span.start;
  while (start > 0 && /\s/.test(text[start - 1]!)) start--;
  if (text[start - 1] !== '{') return span;
  let open = unclosed(text, span.start, span.end);
  let end = span.end;
  for (;;) {
    while (end < text.length && /\s/.test(text[end]!)) end++;
    if (open === 0) break;
    if (text[end] !== '}' && text[end] !== ']') return span;
    open--;
    end++;
  }
  if (text[end] !== '}') return span;
  return { ...span, start: start - 1, end: end + 1 };
}

/** Flow collections opened in `text[start, end)` and not closed there; quoted text and comments are passed over. */
function unclosed(text: string, start: number, end: number): number {
  let depth = 0;
  for (let at = start; at < end; at++) {
    const character = text[at];
    if (character === '"' || character === "'") {
      // A quoted scalar: to its closing quote (`\"` escapes in double quotes, `''` in single).
      for (at++; at < end && text[at] !== character; at++) if (character === '"' && text[at] === '\\') at++;
    } else if (character === '#' && (at === start || /\s/.test(text[at - 1]!))) {
      while (at < end && text[at] !== '\n') at++;
    } else if (character === '{' || character === '[') {
      depth++;
    } else if ((character === '}' || character === ']') && depth > 0) {
      depth--;
    }
  }
  return depth;
}

/** Whether a span lies in `fileId` (a built object's spans name their file). */
function inFile(span: { readonly fileId?: string }, fileId: string): boolean {
  return span.fileId === undefined || span.fileId === fileId;
}
