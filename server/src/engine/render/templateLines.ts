/**
 * Reads a Helm template (YAML with Go template actions, https://helm.sh/docs/chart_template_guide/)
 * line by line, for the source map: which lines are YAML keys and sequence items, at which
 * column, and which lines are template actions alone, such as `{{- if … }}`, `{{- end }}` or
 * `{{- include "x.labels" . | nindent 4 }}`. A template is not YAML, so it is never parsed as such.
 */

export interface Range {
  readonly start: number;
  readonly end: number;
}

/** A line holding YAML content: a `key: value`, a sequence item, or both (`- key: value`). */
export interface ContentLine {
  readonly type: 'content';
  /** Offsets of the line in the template text, without its line break. */
  readonly line: Range;
  /** Column of the first character (of the `-` on an item line). */
  readonly column: number;
  /** The line starts a sequence item (`- …`). */
  readonly item: boolean;
  /** Column of what follows the `- ` on an item line; `column` otherwise. */
  readonly keyColumn: number;
  /** The key, unquoted; undefined when the line has none or the key is itself a template action. */
  readonly key: string | undefined;
  readonly keyRange: Range | undefined;
  /** The value after `key:` (or after `- `), trimmed, without a trailing comment; empty for a block value. */
  readonly valueRange: Range;
  /** The text of `valueRange`. */
  readonly value: string;
}

/** A line made only of template actions (`{{ … }}`), or the lines of a multi-line action or comment. */
export interface ActionLine {
  readonly type: 'action';
  readonly line: Range;
  readonly column: number;
  /** The actions, trimmed: from the first `{{` to the last `}}` of the line. */
  readonly actions: Range;
  /** An action writes text (`include`, `toYaml`, `tpl`, a value), rather than steering (`if`, `range`, `end`). */
  readonly writes: boolean;
  /** Column where the written text starts: the `nindent`/`indent` argument, or the line's column. */
  readonly writeColumn: number;
  /** The line opens a `range` loop. */
  readonly loops: boolean;
  /** The line steers which lines are written (`if`, `else`, `range`, `with`, `end`). */
  readonly steers: boolean;
}

export interface OtherLine {
  readonly type: 'blank';
  readonly line: Range;
}

export type TemplateLine = ContentLine | ActionLine | OtherLine;

/** Action keywords that steer the output instead of writing it (Go text/template). */
const STEERING = /^(if|else|end|range|with|define|block|break|continue)\b/;

/** Classifies every line of `text` from offset `start` to `end`. */
export function readTemplateLines(text: string, start = 0, end = text.length): TemplateLine[] {
  const lines: TemplateLine[] = [];
  let inAction = false;
  for (let offset = start; offset < end; ) {
    let lineEnd = text.indexOf('\n', offset);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const next = lineEnd + 1;
    const contentEnd = lineEnd > offset && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const lineText = text.slice(offset, contentEnd);
    const line = { start: offset, end: contentEnd };
    if (inAction) {
      // Inside a multi-line action or comment: it ends on the line that closes it.
      inAction = !lineText.includes('}}');
      lines.push(actionLine(line, lineText, false));
    } else {
      const parsed = readLine(line, lineText);
      if (parsed.type === 'action' && lastOpening(lineText) > lineText.lastIndexOf('}}')) inAction = true;
      lines.push(parsed);
    }
    offset = next;
  }
  return lines;
}

function readLine(line: Range, lineText: string): TemplateLine {
  const column = lineText.search(/\S/);
  if (column < 0 || lineText[column] === '#') return { type: 'blank', line };
  if (lineText.startsWith('{{', column) && lineText.slice(column).replace(/\{\{[\s\S]*?\}\}/g, '').trim() === '') {
    return actionLine(line, lineText, true);
  }
  if (lineText.startsWith('{{', column) && !lineText.includes('}}', column)) return actionLine(line, lineText, false);
  let keyColumn = column;
  const item = lineText[column] === '-' && (column + 1 === lineText.length || /\s/.test(lineText[column + 1]!));
  if (item) {
    keyColumn = column + 1;
    while (keyColumn < lineText.length && /\s/.test(lineText[keyColumn]!)) keyColumn++;
  }
  const rest = lineText.slice(keyColumn);
  const keyMatch = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},&*!|>%@`][^#]*?)[ \t]*:(?=\s|$)/.exec(rest);
  let key: string | undefined;
  let keyRange: Range | undefined;
  let valueStart = keyColumn;
  if (keyMatch) {
    const raw = keyMatch[1]!;
    keyRange = { start: line.start + keyColumn, end: line.start + keyColumn + raw.length };
    if (!raw.includes('{{')) key = unquote(raw);
    valueStart = keyColumn + keyMatch[0].length;
  } else if (/^\{\{[\s\S]*?\}\}[^:]*:(?=\s|$)/.test(rest)) {
    // A key written by an action (`{{ .Values.name }}: x`): structure without a name.
    valueStart = keyColumn + rest.indexOf(':', rest.indexOf('}}')) + 1;
  }
  const value = valueRange(lineText, valueStart, line.start);
  return {
    type: 'content',
    line,
    column,
    item,
    keyColumn,
    key,
    keyRange,
    valueRange: value,
    value: lineText.slice(value.start - line.start, value.end - line.start),
  };
}

function actionLine(line: Range, lineText: string, complete: boolean): ActionLine {
  const column = Math.max(0, lineText.search(/\S/));
  const first = lineText.indexOf('{{');
  const last = lineText.lastIndexOf('}}');
  const actions = {
    start: line.start + (first >= 0 ? first : column),
    end: line.start + (last >= 0 && last >= first ? last + 2 : lineText.trimEnd().length),
  };
  const bodies = complete ? [...lineText.matchAll(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g)].map((match) => match[1]!) : [];
  const writes = bodies.some((body) => body !== '' && !STEERING.test(body) && !body.startsWith('/*') && !/^\$\w*\s*:?=/.test(body));
  const indent = /\b(?:nindent|indent)\s+(\d+)/.exec(lineText);
  return {
    type: 'action',
    line,
    column,
    actions,
    writes,
    writeColumn: indent ? Number(indent[1]) : column,
    loops: bodies.some((body) => /^range\b/.test(body)),
    steers: bodies.some((body) => STEERING.test(body)),
  };
}

/** The value from `from`: leading blanks and a trailing ` # comment` (outside quotes and actions) left out. */
function valueRange(lineText: string, from: number, lineStart: number): Range {
  let start = from;
  while (start < lineText.length && /\s/.test(lineText[start]!)) start++;
  let end = lineText.length;
  let quote: string | undefined;
  let depth = 0;
  for (let index = start; index < lineText.length; index++) {
    const char = lineText[index]!;
    if (depth === 0 && quote === undefined && char === '#' && index > start && /\s/.test(lineText[index - 1]!)) {
      end = index;
      break;
    }
    if (lineText.startsWith('{{', index)) depth++;
    else if (lineText.startsWith('}}', index) && depth > 0) depth--;
    else if (depth === 0 && (char === '"' || char === "'")) quote = quote === undefined ? char : quote === char ? undefined : quote;
  }
  while (end > start && /\s/.test(lineText[end - 1]!)) end--;
  return { start: lineStart + start, end: lineStart + end };
}

function lastOpening(lineText: string): number {
  return lineText.lastIndexOf('{{');
}

function unquote(raw: string): string {
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return raw.slice(1, -1).replace(/''/g, "'");
  return raw;
}
