/**
 * Placeholders of template tools in the fields Service Lens reads. A manifest filled in before it is
 * applied (by envsubst, or rendered by Helm) is not the object Kubernetes gets, so when a kept field
 * (a name, a namespace, a label, a selector, a port…) holds a placeholder the document is a
 * template and is not analysed. Placeholders in fields no rule reads (an image, an annotation, an
 * env value, a ConfigMap payload) do not matter: those fields are not in the pruned tree.
 *
 * What counts as a placeholder:
 * - envsubst: `$NAME` and `${NAME}` (GNU gettext envsubst,
 *   https://www.gnu.org/software/gettext/manual/html_node/envsubst-Invocation.html), and the shell
 *   forms other envsubst tools accept, such as `${NAME:-default}` and `${NAME-default}`. A `$`
 *   followed by anything but a name's first character or `{` is plain text (`pa$$`, `$5`), and so is
 *   `$(NAME)`, which is Kubernetes' own reference to an environment variable
 *   (https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/).
 * - Go templates (Helm): an action `{{ … }}` (https://pkg.go.dev/text/template).
 */
import type { Span } from '../types';
import { hasExtent, type PNode } from './tree';

export interface Placeholder {
  /** The placeholder as written: `${APP}`, `$APP`, `{{ .Values.name }}`. */
  readonly text: string;
  /** The field that holds it, as a path: `spec.selector.app`, `spec.ports[0].port`. */
  readonly field: string;
  /** True when the placeholder is in a key of the mapping at `field`. */
  readonly inKey: boolean;
  /** True when the whole field (or key) is the placeholder. */
  readonly whole: boolean;
  /** Where the placeholder is written, as offsets into the file text. */
  readonly span: Span;
}

/** `$NAME`, `${…}` (not after another `$`, the escape some envsubst tools use) or `{{ … }}`. */
const PLACEHOLDER = /(?<!\$)\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}\n]*\}?)|\{\{.*?(?:\}\}|$)/m;

/**
 * The first placeholder, in document order, in the kept tree of a document: in a kept key, in a
 * kept scalar (as written, quotes included), or a kept collection written as a template action (a
 * Go template `{{ .Values.x }}` reads as a YAML flow mapping with nothing kept in it). `text` is the
 * whole file text the spans point into. Linear in the size of the tree.
 */
export function findPlaceholder(text: string, root: PNode): Placeholder | undefined {
  return search(text, root, '');
}

function search(text: string, node: PNode | undefined, field: string): Placeholder | undefined {
  if (!node) return undefined;
  if (node.type === 'scalar') {
    if (typeof node.value !== 'string') return undefined;
    return match(text, node.span, field, false);
  }
  const empty = node.type === 'map' ? node.entries.length === 0 : !node.items.some(hasExtent);
  if (empty) {
    // An empty collection: its span is where it starts.
    if (text.startsWith('{{', node.span.start)) {
      const lineEnd = text.indexOf('\n', node.span.start);
      return match(text, { start: node.span.start, end: lineEnd < 0 ? text.length : lineEnd }, field, false, false);
    }
    return undefined;
  }
  if (node.type === 'map') {
    for (const entry of node.entries) {
      const inKey = match(text, entry.keySpan, field, true);
      if (inKey) return inKey;
      const inValue = search(text, entry.value, join(field, entry.key));
      if (inValue) return inValue;
    }
    return undefined;
  }
  for (let index = 0; index < node.items.length; index++) {
    const found = search(text, node.items[index], `${field}[${index}]`);
    if (found) return found;
  }
  return undefined;
}

function match(text: string, span: Span, field: string, inKey: boolean, trimQuotes = true): Placeholder | undefined {
  const source = text.slice(span.start, span.end);
  if (!source.includes('$') && !source.includes('{{')) return undefined;
  const found = PLACEHOLDER.exec(source);
  if (!found) return undefined;
  const bare = trimQuotes ? source.replace(/^(["'])(.*)\1$/s, '$2') : source;
  const start = span.start + found.index;
  return { text: found[0].trim(), field, inKey, whole: bare.trim() === found[0].trim(), span: { start, end: start + found[0].length } };
}

/** A path segment; a key with a dot (`app.kubernetes.io/name`) is quoted in brackets. */
function join(field: string, key: string): string {
  if (key.includes('.')) return `${field}[${JSON.stringify(key)}]`;
  return field ? `${field}.${key}` : key;
}

/** The skip note's message for a placeholder in a kept field. */
export function placeholderMessage(placeholder: Placeholder): string {
  const where = placeholder.inKey
    ? `a key of ${placeholder.field || 'the document'}`
    : placeholder.field || 'the document';
  const verb = placeholder.whole ? 'is' : 'holds';
  return `Not analysed: ${where} ${verb} a placeholder (${placeholder.text}); this document is a template (envsubst or Helm).`;
}
