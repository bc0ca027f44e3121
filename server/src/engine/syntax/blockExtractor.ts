/**
 * A fast extractor for the block-style YAML that Kubernetes manifests are written in. It walks a
 * document line by line, keeps only what the schema asks for, and skips every other subtree by
 * indentation without looking inside it. Anything outside its subset inside a kept subtree
 * (anchors, aliases, tags, block scalars, multi-line flow or quoted scalars, complex keys, tabs)
 * makes it give up on the document, which is then read by the `yaml` library instead
 * (yamlReader.ts). A differential test holds the two to the same trees.
 *
 * Why not the `yaml` library alone: on a 10,000-Service workspace it spends most of the indexing
 * time building nodes for ConfigMap payloads, env lists, probes and annotations that no rule reads.
 */
import type { LineIndex } from './lines';
import { keyTable, type KeyTable, type Schema } from './schema';
import { internRange } from '../model/compact';
import { plainKeyText, resolvePlain } from './scalars';
import { mapSpan, seqSpan, type PEntry, type PKey, type PMap, type PNode, type PScalar, type PSeq } from './tree';

/** Thrown inside the extractor only; caught by `extractBlockDocument`. */
/** `&` `*` `!` `%` `@` `` ` `` `|` `>` `[` `{`: characters that cannot start a plain key (1 at their code). */
const KEY_INDICATORS = new Uint8Array(128);
for (const code of [0x26, 0x2a, 0x21, 0x25, 0x40, 0x60, 0x7c, 0x3e, 0x5b, 0x7b]) KEY_INDICATORS[code] = 1;

class Unsupported {
  constructor(readonly reason: string) {}
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const HASH = 35;
const DASH = 45;
const COLON = 58;
/**
 * Block nodes nested deeper than this keep nothing: a mapping there reads as empty and a sequence
 * as having no items (their lines are skipped by indentation, as an unkept key's value is). Only a
 * subtree kept whole (`ANY_SCHEMA`: labels, selectors) nests without bound, and no Kubernetes field
 * is read that deep; the cut keeps the reader's stack bounded on hostile input (2,000 levels of
 * block maps read in well under the stack Node gives a thread).
 */
const MAX_KEPT_DEPTH = 256;
const KEEP_NOTHING: Schema = { keys: {} };

/** The YAML 1.1 merge key (https://yaml.org/type/merge.html), when plain. */
const MERGE_KEY = '<<';

export type ExtractResult =
  | { readonly ok: true; readonly root: PNode | undefined }
  | { readonly ok: false; readonly reason: string };

/**
 * Extracts the pruned tree of the document occupying `text[start, end)` (the lines between two
 * document markers). `lines`, the LineIndex of a text without lone carriage returns, saves
 * searching for the ends and indents of lines. Never throws.
 */
export function extractBlockDocument(text: string, start: number, end: number, schema: Schema, lines?: LineIndex): ExtractResult {
  // A call made while the idle scanner is in use (none is today) gets a scanner of its own.
  const scanner = idleScanner ?? new LineScanner();
  idleScanner = undefined;
  try {
    scanner.start(text, start, end, lines);
    return { ok: true, root: scanner.document(schema) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.reason };
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    scanner.release();
    idleScanner = scanner;
  }
}

class LineScanner {
  /** Start of the current line. */
  private lineStart = 0;
  /** Offset of the current parse position within the current line (for compact `- key: v`). */
  private cursor = 0;
  /** End of the current line's content (before `\r\n` / `\n`). */
  private contentEnd = 0;
  /** Offset just past the current line's newline. */
  private nextLine = 0;
  /** Indentation (spaces) of the current line, or -1 at the end of the document. */
  private indent = -1;
  /**
   * The keys of the mappings being read, innermost last: a mapping checks its keys for duplicates
   * here and drops them when it ends (one list for the document instead of a set per mapping).
   */
  private readonly openKeys = new OpenList<string>();
  /**
   * The entries, skipped keys and items of the collections being read, innermost last: a
   * collection copies its own to a list of their exact length when it ends (lists grown item by
   * item would keep room for more, for a tree read once and dropped).
   */
  private readonly openEntries = new OpenList<PEntry>();
  private readonly openSkipped = new OpenList<PKey>();
  private readonly openItems = new OpenList<PNode | undefined>();
  /** The span of the key `readKey` read last. */
  private keyStart = 0;
  private keyEnd = 0;
  /** Its index in the key table it was read with (`KeyTable.find`), or -1. */
  private keyIndex = -1;
  /** Whether it reads as written (a plain key that `plainKeyText` leaves as it is). */
  private keyAsWritten = false;

  /** The number of the line at `nextLine` in `lines`, or -1 when not known. */
  private nextLineNumber = -1;
  /** Block nodes being read, the current one included (`blockNode`). */
  private depth = 0;

  /** The text being read; empty between documents, so an idle scanner holds no file. */
  private text = '';
  /** End of the document in `text` (exclusive). */
  private end = 0;
  /** The text's line index, when known: lines are then taken from it instead of being searched. */
  private lines: LineIndex | undefined = undefined;
  /** The parser of one-line flow collections, reset for each (`flowOnLine`). */
  private readonly flow = new FlowParser(this);

  /** Starts reading the document in `text[start, end)`; throws `Unsupported` for a tab in its first indentation. */
  start(text: string, start: number, end: number, lines: LineIndex | undefined): void {
    this.text = text;
    this.end = end;
    this.lines = lines;
    this.depth = 0;
    this.lineStart = start;
    this.cursor = start;
    this.nextLineNumber = lines ? lines.lineOf(start) : -1;
    this.loadLine(start);
    this.skipToContent();
  }

  /** Forgets the document: the text, the line index and every member of the open lists (also after a failure). */
  release(): void {
    this.text = '';
    this.lines = undefined;
    this.flow.release();
    this.openKeys.clear();
    this.openEntries.clear();
    this.openSkipped.clear();
    this.openItems.clear();
  }

  document(schema: Schema): PNode | undefined {
    if (this.indent < 0) return undefined;
    const node = this.blockNode(this.indent, schema);
    if (this.indent >= 0) throw new Unsupported('content after the document root');
    return node;
  }

  // ---- lines -------------------------------------------------------------------------------

  private loadLine(offset: number): void {
    const text = this.text;
    this.lineStart = offset;
    if (offset >= this.end) {
      this.indent = -1;
      this.cursor = this.end;
      this.contentEnd = this.end;
      this.nextLine = this.end;
      return;
    }
    const lines = this.lines;
    const line = this.nextLineNumber;
    let newline: number;
    let indent = -1;
    if (lines !== undefined && line >= 0 && lines.lineStart(line) === offset) {
      // The line index knows where the line ends and how many spaces open it (up to 255).
      const next = lines.lineStart(line + 1);
      newline = text.charCodeAt(next - 1) === LF ? next - 1 : next;
      indent = lines.indentAt(line);
      this.nextLineNumber = line + 1;
    } else {
      newline = text.indexOf('\n', offset);
      if (newline < 0) newline = text.length;
      if (lines !== undefined) {
        const after = lines.lineOf(newline + 1);
        this.nextLineNumber = lines.lineStart(after) === newline + 1 ? after : -1;
      }
    }
    if (newline >= this.end) newline = this.end;
    this.nextLine = newline < this.end ? newline + 1 : this.end;
    this.contentEnd = newline > offset && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
    let position = offset;
    if (indent >= 0 && indent < 255) position += indent;
    else while (position < this.contentEnd && text.charCodeAt(position) === SPACE) position++;
    this.indent = position - offset;
    this.cursor = position;
  }

  /** True when the current line holds nothing but spaces/tabs or a comment. */
  private currentLineIsBlank(): boolean {
    const text = this.text;
    let position = this.cursor;
    while (position < this.contentEnd) {
      const code = text.charCodeAt(position);
      if (code === SPACE || code === TAB) {
        position++;
        continue;
      }
      return code === HASH;
    }
    return true;
  }

  /** Moves to the next line that has content (the current one included). */
  private skipToContent(): void {
    while (this.indent >= 0 && this.currentLineIsBlank()) this.loadLine(this.nextLine);
    if (this.indent >= 0 && this.text.charCodeAt(this.cursor) === TAB) {
      throw new Unsupported('tab in indentation');
    }
  }

  private advanceLine(): void {
    this.loadLine(this.nextLine);
    this.skipToContent();
  }

  /** Skips every following line indented more than `column` (the rest of a skipped subtree). */
  private skipDeeperThan(column: number): void {
    this.loadLine(this.nextLine);
    for (;;) {
      if (this.indent < 0) return;
      if (this.indent > column || this.currentLineIsBlank()) {
        this.loadLine(this.nextLine);
        continue;
      }
      break;
    }
    this.skipToContent();
  }

  private column(): number {
    return this.cursor - this.lineStart;
  }

  private startsSequenceItem(position: number): boolean {
    if (this.text.charCodeAt(position) !== DASH) return false;
    const next = position + 1;
    if (next >= this.contentEnd) return true;
    const code = this.text.charCodeAt(next);
    return code === SPACE || code === TAB;
  }

  // ---- block nodes ---------------------------------------------------------------------------

  /**
   * Parses the block node whose first character is at the cursor, at column `column`. Below
   * `MAX_KEPT_DEPTH` nested block collections, a collection keeps nothing (see there).
   */
  private blockNode(column: number, given: Schema): PNode | undefined {
    const schema = this.depth < MAX_KEPT_DEPTH ? given : KEEP_NOTHING;
    this.depth++;
    const node = this.blockNodeAt(column, schema);
    this.depth--;
    return node;
  }

  private blockNodeAt(column: number, schema: Schema): PNode | undefined {
    const text = this.text;
    const code = text.charCodeAt(this.cursor);
    if (this.startsSequenceItem(this.cursor)) return this.sequence(column, schema);
    switch (code) {
      case 0x7b: // {
      case 0x5b: // [
        return this.flowOnLine(column, schema);
      case 0x7c: // |
      case 0x3e: // >
        throw new Unsupported('block scalar in a kept node');
      case 0x26: // &
      case 0x2a: // *
      case 0x21: // !
      case 0x3f: // ?
      case 0x25: // %
      case 0x40: // @
      case 0x60: // `
        throw new Unsupported('YAML feature outside the block subset');
      default:
        break;
    }
    const colon = this.findKeyEnd();
    if (colon >= 0) return this.mapping(column, schema, colon);
    return this.scalarLine(column);
  }

  /**
   * Finds the `:` that ends a key on the current line at the cursor (followed by a space or the
   * end of the line), or -1 when the line is not a mapping entry.
   */
  private findKeyEnd(): number {
    const text = this.text;
    const first = text.charCodeAt(this.cursor);
    if (first === 0x22 || first === 0x27) {
      const close = this.quotedEnd(this.cursor);
      if (close < 0) return -1;
      let position = close;
      while (position < this.contentEnd && text.charCodeAt(position) === SPACE) position++;
      if (text.charCodeAt(position) !== COLON) return -1;
      return this.colonEndsKey(position) ? position : -1;
    }
    for (let position = this.cursor; position < this.contentEnd; position++) {
      const code = text.charCodeAt(position);
      if (code === COLON) {
        if (this.colonEndsKey(position)) return position;
      } else if (code === HASH && position > this.cursor) {
        // ` #` starts a comment: no key on this line.
        const before = text.charCodeAt(position - 1);
        if (before === SPACE || before === TAB) return -1;
      }
    }
    return -1;
  }

  private colonEndsKey(colon: number): boolean {
    const next = colon + 1;
    if (next >= this.contentEnd) return true;
    const code = this.text.charCodeAt(next);
    return code === SPACE || code === TAB;
  }

  /** The block mapping at the cursor; `firstColon` is the colon that ends its first key (`findKeyEnd`). */
  private mapping(column: number, schema: Schema, firstColon: number): PMap {
    const text = this.text;
    const openEntries = this.openEntries;
    const firstEntry = openEntries.size;
    const openSkipped = this.openSkipped;
    const firstSkipped = openSkipped.size;
    const openKeys = this.openKeys;
    const firstKey = openKeys.size;
    const fallback = this.lineStart;
    const keys = schema.any ? undefined : keyTable(schema);
    for (let colon = firstColon; ; colon = this.findKeyEnd()) {
      if (colon < 0) throw new Unsupported('expected a mapping key');
      const key = this.readKey(this.cursor, colon, keys);
      if (openKeys.includes(key, firstKey)) throw new Unsupported(`duplicate key ${key}`);
      openKeys.push(key);
      const child: Schema | undefined = keys === undefined ? schema : this.keyIndex >= 0 ? keys.schemaAt(this.keyIndex) : this.keyAsWritten ? undefined : keys.get(key);
      let valueStart = colon + 1;
      while (valueStart < this.contentEnd && (text.charCodeAt(valueStart) === SPACE || text.charCodeAt(valueStart) === TAB)) {
        valueStart++;
      }
      const inlineEmpty = valueStart >= this.contentEnd || text.charCodeAt(valueStart) === HASH;
      let value: PNode | undefined;
      const keySpan = child !== undefined || schema.recordSkipped ? { start: this.keyStart, end: this.keyEnd } : undefined;
      if (child === undefined) {
        if (keySpan !== undefined) openSkipped.push({ key, keySpan });
        this.skipValue(column, inlineEmpty);
      } else if (inlineEmpty) {
        value = this.nestedValue(column, child);
      } else {
        value = this.inlineValue(valueStart, column, child);
      }
      if (child !== undefined && keySpan !== undefined) {
        openEntries.push({ key, keySpan, value });
      }
      // The cursor is now on the next content line (or the end).
      if (this.indent < 0 || this.indent < column) break;
      if (this.indent > column) throw new Unsupported('unexpected indentation');
      if (this.startsSequenceItem(this.cursor)) break;
    }
    openKeys.drop(firstKey);
    const entries = openEntries.take(firstEntry);
    const skipped = openSkipped.size > firstSkipped ? openSkipped.take(firstSkipped) : undefined;
    return mapNode(entries, mapSpan(entries, fallback), skipped);
  }

  /** Skips the value of a key that the schema does not keep, whatever it is. */
  private skipValue(column: number, inlineEmpty: boolean): void {
    this.skipDeeperThan(column);
    // `key:` followed by a sequence at the same indentation as the key.
    if (inlineEmpty && this.indent === column && this.startsSequenceItem(this.cursor)) {
      while (this.indent === column && this.startsSequenceItem(this.cursor)) this.skipDeeperThan(column);
    }
  }

  /** The value of `key:` when it starts on a following line. */
  private nestedValue(column: number, schema: Schema): PNode | undefined {
    this.advanceLine();
    if (this.indent < 0) return undefined;
    if (this.indent > column) return this.blockNode(this.indent, schema);
    if (this.indent === column && this.startsSequenceItem(this.cursor)) return this.sequence(column, schema);
    return undefined;
  }

  /** The value of `key: value` on the same line. */
  private inlineValue(valueStart: number, column: number, schema: Schema): PNode | undefined {
    this.cursor = valueStart;
    const code = this.text.charCodeAt(valueStart);
    if (code === 0x7b || code === 0x5b) return this.flowOnLine(column, schema);
    if (code === 0x7c || code === 0x3e) throw new Unsupported('block scalar in a kept node');
    if (code === 0x26 || code === 0x2a || code === 0x21 || code === 0x25 || code === 0x40 || code === 0x60) {
      throw new Unsupported('YAML feature outside the block subset');
    }
    if (this.startsSequenceItem(valueStart)) throw new Unsupported('sequence after a key on one line');
    if (code === 0x3f && this.colonEndsKey(valueStart)) throw new Unsupported('complex key');
    return this.scalarLine(column);
  }

  /** A scalar that must end on the current line; the next content line must not continue it. */
  private scalarLine(column: number): PScalar {
    const scalar = this.scalarAt(this.cursor, this.contentEnd, false);
    this.expectLineEnd(scalar.span.end);
    this.advanceLine();
    if (this.indent > column) throw new Unsupported('multi-line scalar');
    return scalar;
  }

  private sequence(column: number, schema: Schema): PSeq {
    const openItems = this.openItems;
    const firstItem = openItems.size;
    const fallback = this.lineStart;
    const itemSchema = schema.any ? schema : schema.items;
    for (;;) {
      // The cursor is on `-` at `column`.
      let position = this.cursor + 1;
      while (position < this.contentEnd && (this.text.charCodeAt(position) === SPACE || this.text.charCodeAt(position) === TAB)) {
        position++;
      }
      const inlineEmpty = position >= this.contentEnd || this.text.charCodeAt(position) === HASH;
      if (itemSchema === undefined) {
        this.skipDeeperThan(column);
      } else {
        let item: PNode | undefined;
        if (inlineEmpty) {
          this.advanceLine();
          item = this.indent > column ? this.blockNode(this.indent, itemSchema) : undefined;
        } else {
          this.cursor = position;
          item = this.blockNode(position - this.lineStart, itemSchema);
        }
        openItems.push(item);
      }
      if (this.indent < 0 || this.indent < column) break;
      if (this.indent > column) throw new Unsupported('unexpected indentation in a sequence');
      if (!this.startsSequenceItem(this.cursor)) break;
    }
    const items = openItems.take(firstItem);
    return { type: 'seq', items, span: seqSpan(items, fallback) };
  }

  // ---- scalars and keys ----------------------------------------------------------------------

  /**
   * The text of the key from `start` to the colon at `colon`; its span is left in `keyStart`/`keyEnd`,
   * its index in `keys` in `keyIndex`. A plain key that `keys` holds is that table's copy of it, with
   * no string cut from the text.
   */
  private readKey(start: number, colon: number, keys?: KeyTable): string {
    const first = this.text.charCodeAt(start);
    if (first === 0x22 || first === 0x27) {
      const scalar = this.quotedScalar(start);
      this.keyStart = scalar.span.start;
      this.keyEnd = scalar.span.end;
      this.keyIndex = -1;
      this.keyAsWritten = false;
      return String(scalar.value);
    }
    // An anchor, alias or tag before a key (`&a ports:`), or a reserved indicator: a plain scalar
    // cannot start with one (YAML 1.2 §7.3.3, as in 1.1), so this is YAML outside the subset.
    if (first < 128 && KEY_INDICATORS[first] === 1) throw new Unsupported('anchor, alias, tag or indicator before a key');
    let end = colon;
    while (end > start && (this.text.charCodeAt(end - 1) === SPACE || this.text.charCodeAt(end - 1) === TAB)) end--;
    this.keyStart = start;
    this.keyEnd = end;
    this.keyIndex = keys === undefined ? -1 : keys.find(this.text, start, end);
    if (this.keyIndex >= 0) return keys!.keyAt(this.keyIndex);
    const raw = this.text.slice(start, end);
    if (raw.length === 0) throw new Unsupported('empty key');
    // A YAML 1.1 merge key (`<<: *base`): the `yaml`-library reader applies it.
    if (raw === MERGE_KEY) throw new Unsupported('merge key');
    const key = plainKeyText(raw);
    this.keyAsWritten = key === raw;
    return key;
  }

  /** A scalar starting at `start` that ends before `limit` (a line end, or a flow terminator). */
  private scalarAt(start: number, limit: number, inFlow: boolean): PScalar {
    const first = this.text.charCodeAt(start);
    if (first === 0x22 || first === 0x27) return this.quotedScalar(start);
    const text = this.text;
    let position = start;
    while (position < limit) {
      const code = text.charCodeAt(position);
      if (code === HASH && position > start) {
        const before = text.charCodeAt(position - 1);
        if (before === SPACE || before === TAB) break;
      }
      if (code === COLON) {
        const next = position + 1;
        const after = next >= limit ? -1 : text.charCodeAt(next);
        const ends = after === -1 || after === SPACE || after === TAB || (inFlow && (after === 0x2c || after === 0x5d || after === 0x7d));
        if (ends) {
          // In a flow mapping `key: value` the colon ends the key; in block context it cannot occur here.
          if (inFlow) break;
          throw new Unsupported('mapping in a plain scalar');
        }
      }
      if (inFlow && (code === 0x2c || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d)) break;
      position++;
    }
    let end = position;
    while (end > start && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === TAB)) end--;
    if (end === start) throw new Unsupported('empty scalar');
    // Interned in place: the model keeps these texts interned (model/compact.ts), and a text seen
    // recently (`app`, `TCP`, a label value of a sibling file) is found without cutting a slice.
    return { type: 'scalar', value: resolvePlain(internRange(text, start, end)), span: { start, end } };
  }

  /** Offset just past the closing quote of the quoted scalar at `start` on this line, or -1. */
  private quotedEnd(start: number): number {
    const text = this.text;
    const quote = text.charCodeAt(start);
    let position = start + 1;
    while (position < this.contentEnd) {
      const code = text.charCodeAt(position);
      if (quote === 0x27) {
        if (code === 0x27) {
          if (text.charCodeAt(position + 1) === 0x27 && position + 1 < this.contentEnd) {
            position += 2;
            continue;
          }
          return position + 1;
        }
      } else {
        if (code === 0x5c) {
          position += 2;
          continue;
        }
        if (code === 0x22) return position + 1;
      }
      position++;
    }
    return -1;
  }

  private quotedScalar(start: number): PScalar {
    const end = this.quotedEnd(start);
    if (end < 0) throw new Unsupported('quoted scalar spans lines');
    const body = this.text.slice(start + 1, end - 1);
    const value = this.text.charCodeAt(start) === 0x27 ? body.replace(/''/g, "'") : unescapeDouble(body);
    return { type: 'scalar', value, span: { start, end } };
  }

  /** After a complete value on a line only spaces and a comment may follow. */
  private expectLineEnd(position: number): void {
    const text = this.text;
    let current = position;
    while (current < this.contentEnd) {
      const code = text.charCodeAt(current);
      if (code === SPACE || code === TAB) {
        current++;
        continue;
      }
      if (code === HASH && current > position) return;
      throw new Unsupported('text after a value');
    }
  }

  // ---- flow collections on one line ----------------------------------------------------------

  private flowOnLine(column: number, schema: Schema): PNode {
    const parser = this.flow;
    const node = parser.node(this.text, this.contentEnd, this.cursor, schema);
    this.expectLineEnd(parser.position);
    this.advanceLine();
    if (this.indent > column) throw new Unsupported('content after a flow collection');
    return node;
  }

  /** Used by the flow parser for scalars. */
  flowScalar(start: number, limit: number): PScalar {
    return this.scalarAt(start, limit, true);
  }

  quoted(start: number): PScalar {
    return this.quotedScalar(start);
  }
}

/** One-line flow collections: `{app: web, tier: front}`, `[80, 443]`, `[{port: 80}]`. */
class FlowParser {
  position = 0;
  /** The line's text and the end of its content: set by `node` for each collection. */
  private text = '';
  private limit = 0;

  constructor(private readonly lines: LineScanner) {}

  /** The flow collection at `start` of `text`, which must end before `limit` (the end of its line). */
  node(text: string, limit: number, start: number, schema: Schema | undefined): PNode {
    this.text = text;
    this.limit = limit;
    this.position = start;
    return this.value(schema);
  }

  /** Forgets the text. */
  release(): void {
    this.text = '';
  }

  /** A flow key's text: a quoted key is its string, a plain one reads as go-yaml types it. */
  private keyText(key: PScalar): string {
    const first = this.text.charCodeAt(key.span.start);
    if (first === 0x22 || first === 0x27) return String(key.value);
    const raw = this.text.slice(key.span.start, key.span.end);
    if (raw === MERGE_KEY) throw new Unsupported('merge key');
    return plainKeyText(raw);
  }

  private skipSpaces(): void {
    while (this.position < this.limit) {
      const code = this.text.charCodeAt(this.position);
      if (code !== SPACE && code !== TAB) break;
      this.position++;
    }
    if (this.position >= this.limit) throw new Unsupported('flow collection spans lines');
  }

  private value(schema: Schema | undefined): PNode {
    this.skipSpaces();
    const code = this.text.charCodeAt(this.position);
    if (code === 0x7b) return this.map(schema);
    if (code === 0x5b) return this.seq(schema);
    if (code === 0x26 || code === 0x2a || code === 0x21 || code === 0x3f || code === HASH || code === 0x7c || code === 0x3e) {
      throw new Unsupported('YAML feature outside the flow subset');
    }
    if (code === 0x2c || code === 0x5d || code === 0x7d) throw new Unsupported('empty flow value');
    const scalar = code === 0x22 || code === 0x27 ? this.lines.quoted(this.position) : this.lines.flowScalar(this.position, this.limit);
    this.position = scalar.span.end;
    return scalar;
  }

  private map(schema: Schema | undefined): PMap {
    const open = this.position;
    this.position++;
    const entries: PEntry[] = [];
    let skipped: PKey[] | undefined;
    const seen = new Set<string>();
    for (;;) {
      this.skipSpaces();
      if (this.text.charCodeAt(this.position) === 0x7d) {
        this.position++;
        break;
      }
      const key = this.value(undefined);
      if (key.type !== 'scalar') throw new Unsupported('complex flow key');
      this.skipSpaces();
      if (this.text.charCodeAt(this.position) !== COLON) throw new Unsupported('flow entry without a value');
      this.position++;
      const keyText = this.keyText(key);
      if (seen.has(keyText)) throw new Unsupported(`duplicate key ${keyText}`);
      seen.add(keyText);
      const child = schema?.any ? schema : schema && keyTable(schema).get(keyText);
      this.skipSpaces();
      const next = this.text.charCodeAt(this.position);
      let value: PNode | undefined;
      if (next === 0x2c || next === 0x7d) {
        value = undefined;
      } else {
        value = this.value(child);
      }
      if (child !== undefined) {
        entries.push({ key: keyText, keySpan: key.span, value: prune(value, child) });
      } else if (schema?.recordSkipped && !schema.any) {
        (skipped ??= []).push({ key: keyText, keySpan: key.span });
      }
      this.skipSpaces();
      const separator = this.text.charCodeAt(this.position);
      if (separator === 0x2c) {
        this.position++;
        continue;
      }
      if (separator === 0x7d) {
        this.position++;
        break;
      }
      throw new Unsupported('malformed flow mapping');
    }
    return mapNode(entries, mapSpan(entries, open), skipped);
  }

  private seq(schema: Schema | undefined): PSeq {
    const open = this.position;
    this.position++;
    const items: (PNode | undefined)[] = [];
    const itemSchema = schema?.any ? schema : schema?.items;
    for (;;) {
      this.skipSpaces();
      if (this.text.charCodeAt(this.position) === 0x5d) {
        this.position++;
        break;
      }
      const item = this.value(itemSchema);
      if (itemSchema !== undefined) {
        items.push(prune(item, itemSchema));
      }
      this.skipSpaces();
      const separator = this.text.charCodeAt(this.position);
      if (separator === 0x2c) {
        this.position++;
        continue;
      }
      if (separator === 0x5d) {
        this.position++;
        break;
      }
      throw new Unsupported('malformed flow sequence');
    }
    return { type: 'seq', items, span: seqSpan(items, open) };
  }
}

/** Flow values are parsed whole (to find their end) and pruned afterwards. */
function prune(node: PNode | undefined, schema: Schema): PNode | undefined {
  if (!node || schema.any || node.type === 'scalar') return node;
  if (node.type === 'map') {
    if (!schema.keys) return mapNode([], node.span, undefined);
    const keys = keyTable(schema);
    const entries = node.entries
      .filter((entry) => keys.has(entry.key))
      .map((entry) => ({ ...entry, value: prune(entry.value, keys.get(entry.key)!) }));
    // The map was parsed with this schema: its skipped keys are already those of the schema.
    return mapNode(entries, mapSpan(entries, node.span.start), node.skipped);
  }
  const itemSchema = schema.items;
  const items = itemSchema ? node.items.map((item) => prune(item, itemSchema)) : [];
  return { type: 'seq', items, span: seqSpan(items, node.span.start) };
}

/** A mapping node; every one has the `skipped` property (undefined when none), so all share one shape. */
/**
 * A list used as the stack of the open collections' members: a collection pushes its members and
 * takes them off when it ends. Taken members leave their slots to be overwritten, so the list never
 * shrinks and grows again (setting an array's length lower lets V8 free its storage).
 */
/** Slots an open list keeps between documents (`OpenList.clear`). */
const KEPT_SLOTS = 1024;

class OpenList<T> {
  private readonly slots: (T | undefined)[] = [];
  /** The members on the list: `slots` from 0 to `size`. */
  size = 0;

  push(item: T): void {
    this.slots[this.size++] = item;
  }

  /** Whether `item` is on the list at `first` or after. */
  includes(item: T, first: number): boolean {
    for (let index = first; index < this.size; index++) if (this.slots[index] === item) return true;
    return false;
  }

  /** The members from `first` on, in a list of their exact length; they leave the list. */
  take(first: number): T[] {
    const out = this.slots.slice(first, this.size) as T[];
    this.size = first;
    return out;
  }

  /**
   * Empties the list and every slot a member was left in. The storage stays up to `KEPT_SLOTS`
   * slots; a longer list (a document with a huge kept sequence) frees it, so no later clear costs
   * more than that.
   */
  clear(): void {
    if (this.slots.length > KEPT_SLOTS) this.slots.length = 0;
    else this.slots.fill(undefined);
    this.size = 0;
  }

  /** Drops the members from `first` on. */
  drop(first: number): void {
    this.size = first;
  }
}

function mapNode(entries: readonly PEntry[], span: PMap['span'], skipped: readonly PKey[] | undefined): PMap {
  return { type: 'map', entries, span, skipped };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function unescapeDouble(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const code = body[++index];
    if (code === undefined) throw new Unsupported('dangling escape');
    const simple = ESCAPES[code];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const width = code === 'x' ? 2 : code === 'u' ? 4 : code === 'U' ? 8 : 0;
    if (width === 0) throw new Unsupported('unknown escape');
    const hex = body.slice(index + 1, index + 1 + width);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new Unsupported('bad escape');
    out += String.fromCodePoint(parseInt(hex, 16));
    index += width;
  }
  return out;
}

/**
 * The scanner `extractBlockDocument` reuses, reset for each document. Besides an allocation per
 * document, this saves the code V8 optimized for the extractor: V8 drops the hidden classes of a
 * class once a full collection finds no instance of it, and with them the optimized code that
 * checks for them. A scanner made per document leaves none alive between two reads, so each scan
 * after a full collection (a rescan, the first keystroke after the server was idle) would start the
 * extractor again in unoptimized code. Measured in docs/benchmark.md.
 */
let idleScanner: LineScanner | undefined = new LineScanner();
