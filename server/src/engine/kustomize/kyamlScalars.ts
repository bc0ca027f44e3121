/**
 * Plain scalars as kustomize reads them. kustomize reads resources and patches with kyaml, whose
 * YAML is go-yaml v3: YAML 1.2's core schema, with Go's integer syntax. `kubectl kustomize` and
 * `kubectl apply -k` hand on what it read, quoting on output a string that YAML 1.1 would read as
 * something else. So a plain `on`, `yes`, `n` or `1:20` in a base reaches the API server as the
 * string it is written as, while the same file applied alone (`kubectl apply -f`, YAML 1.1,
 * syntax/scalars.ts) gives a boolean or a number; and `True` stays a boolean, `0o17` and `1e3`
 * are numbers.
 *
 * The words are go-yaml v3's, its numbers go-yaml v2's (`resolveKyamlPlain`, syntax/scalars.ts).
 * Checked against kubectl kustomize v5.7.1 (test/fixtures/kustomize/yaml-1.1-scalars,
 * test/unit/kyamlScalars.kubectl.test.ts).
 * A plain timestamp (`2024-01-15`) is a time to go-yaml v3, which kustomize writes in Go's RFC 3339
 * form (`"2024-01-15T00:00:00Z"`): that text is what the API server gets (`kyamlTimestamp`).
 */
import { resolveKyamlPlain } from '../syntax/scalars';
import type { PNode, ScalarValue } from '../syntax/tree';
import type { Span } from '../types';
import type { MNode } from './tree';

/** The value go-yaml v3 gives the plain scalar written `source` (see the module comment). */
export function kyamlPlainValue(source: string): ScalarValue {
  return kyamlTimestamp(source) ?? resolveKyamlPlain(source);
}

/** go-yaml v3's timestamp forms (resolve.go `allowedTimestampFormats`), as Go's `time.Parse` reads them. */
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The text kustomize writes for a plain scalar go-yaml v3 reads as a timestamp, else undefined.
 * go-yaml v3 (resolve.go) tries a plain scalar that starts with four digits and `-` as a time in
 * the layouts `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999` and
 * `2006-1-2`, with Go's ranges (a month's days, hours below 24); kustomize hands the time on as
 * JSON, Go's RFC 3339 with nanoseconds: `2024-1-5` becomes `2024-01-05T00:00:00Z`, a fraction
 * loses its trailing zeros (and is cut at nine digits), an offset of zero is written `Z`.
 * Checked against kubectl kustomize v5.7.1 (test/unit/kyamlScalars.kubectl.test.ts).
 */
export function kyamlTimestamp(source: string): string | undefined {
  const first = source.charCodeAt(0);
  if (source.length < 8 || first < 0x30 || first > 0x39 || source.charCodeAt(4) !== 0x2d) return undefined;
  const date = DATE.exec(source);
  const match = date ?? DATE_TIME.exec(source);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  const pad = (value: number): string => String(value).padStart(2, '0');
  const calendar = `${match[1]}-${pad(month)}-${pad(day)}`;
  if (date) return `${calendar}T00:00:00Z`;
  const [hour, minute, second] = [Number(match[6]), Number(match[7]), Number(match[8])];
  const zone = match[10];
  // The `T` layouts end with a zone; the one with a space has none (the time is UTC).
  if ((match[4] !== undefined) !== (zone !== undefined)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = (match[9] ?? '').slice(0, 9).replace(/0+$/, '');
  const offset = zone === undefined || zone === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 24 || Number(offset.slice(4, 6)) > 60)) return undefined;
  return `${calendar}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction === '' ? '' : `.${fraction}`}${offset}`;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Gives every plain scalar of a tree the value kyaml reads from its text (`kyamlPlainValue`), in
 * place; `textOf` gives the text of the file a span names. A scalar whose text is quoted, tagged,
 * spans lines or is not known is left as it is. `every` looks at every scalar; otherwise only at
 * those YAML 1.1 may read otherwise (a tree the YAML 1.1 reader typed, `mayReadOtherwise`).
 * Returns whether some value changed.
 */
export function readAsKyaml(node: MNode | undefined, textOf: (fileId: string) => string | undefined, every = false): boolean {
  return retypePlainScalars(node, textOf, kyamlPlainValue, every);
}

/**
 * Gives every plain scalar of a tree the value `read` gives its text, in place (see `readAsKyaml`:
 * the same scalars are left alone). Returns whether some value changed.
 */
export function retypePlainScalars(node: MNode | undefined, textOf: (fileId: string) => string | undefined, read: (source: string) => ScalarValue, every: boolean): boolean {
  if (node === undefined) return false;
  switch (node.type) {
    case 'scalar': {
      const text = node.span.fileId === undefined ? undefined : textOf(node.span.fileId);
      const value = text === undefined ? NOT_RETYPED : retypedValue(node.value, node.span, text, read, every);
      if (value === NOT_RETYPED) return false;
      node.value = value;
      return true;
    }
    case 'map': {
      let changed = false;
      for (const entry of node.entries) if (retypePlainScalars(entry.value, textOf, read, every)) changed = true;
      return changed;
    }
    case 'seq': {
      let changed = false;
      for (const item of node.items) if (retypePlainScalars(item, textOf, read, every)) changed = true;
      return changed;
    }
  }
}

/**
 * Whether kyaml reads some plain scalar of a pruned tree read from `text` (YAML 1.1 typed, its
 * spans in `text`) otherwise: what `readAsKyaml` would change in a copy of it, without copying.
 */
export function readsOtherwiseAsKyaml(node: PNode | undefined, text: string): boolean {
  if (node === undefined) return false;
  switch (node.type) {
    case 'scalar':
      return retypedValue(node.value, node.span, text, kyamlPlainValue, false) !== NOT_RETYPED;
    case 'map':
      for (const entry of node.entries) if (readsOtherwiseAsKyaml(entry.value, text)) return true;
      return false;
    case 'seq':
      for (const item of node.items) if (readsOtherwiseAsKyaml(item, text)) return true;
      return false;
  }
}

/** `retypedValue`'s answer for a scalar whose value stays. */
const NOT_RETYPED: unique symbol = Symbol('not retyped');

/** The value `read` gives a plain scalar (read as `value`, at `span` of `text`), or NOT_RETYPED when it stays as it is. */
function retypedValue(value: ScalarValue, span: Span, text: string, read: (source: string) => ScalarValue, every: boolean): ScalarValue | typeof NOT_RETYPED {
  if (!every && !mayReadOtherwise(value, text, span.start, span.end)) return NOT_RETYPED;
  const source = text.slice(span.start, span.end);
  if (!isPlainToken(source) || isTagged(text, span.start) || (typeof value === 'string' && value !== source)) return NOT_RETYPED;
  const next = read(source);
  return Object.is(next, value) ? NOT_RETYPED : next;
}

/** Characters a tag cannot contain, so a backwards scan for one stops there: space, tab, line breaks, `:`, `,`, `[`, `{`. */
const ENDS_TOKEN_BEFORE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x3a, 0x2c, 0x5b, 0x7b]);

/** Whether the node whose text starts at `start` has a tag before it (`!!str 1`): the tag decides its type. */
function isTagged(text: string, start: number): boolean {
  let at = start - 1;
  while (at >= 0 && (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09)) at--;
  let token = at;
  while (token >= 0 && !ENDS_TOKEN_BEFORE.has(text.charCodeAt(token))) token--;
  return at > token && text.charCodeAt(token + 1) === 0x21; // !
}

/**
 * Whether YAML 1.1 and go-yaml v3 may read the scalar at `text[start, end)`, read as `value` by
 * YAML 1.1, differently: a boolean (`yes`, `on`), a number written with `:` (base 60), or a
 * string that starts as a number does (`1e3`, `0o17`). Nulls are the same words in both. Looks at
 * no more than the scalar's characters, and cuts no string.
 */
function mayReadOtherwise(value: ScalarValue, text: string, start: number, end: number): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') {
    for (let at = start; at < end; at++) if (text.charCodeAt(at) === 0x3a) return true;
    return false;
  }
  if (typeof value !== 'string' || value.length === 0) return false;
  const first = value.charCodeAt(0);
  // 0-9 + - .
  return (first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e;
}

/** A plain scalar's own text: one line, not quoted, not a block scalar, no flow indicator or comment. */
function isPlainToken(source: string): boolean {
  if (source.length === 0) return false;
  const first = source.charCodeAt(0);
  // " ' | > [ { & * !
  if (first === 0x22 || first === 0x27 || first === 0x7c || first === 0x3e || first === 0x5b || first === 0x7b || first === 0x26 || first === 0x2a || first === 0x21) return false;
  return !/[\n\r#]/.test(source);
}
