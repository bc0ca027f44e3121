import type { Position } from '../types';

/** A LineIndex as plain data. */
export interface LineIndexJson {
  readonly starts: readonly number[];
  readonly length: number;
  /** Leading spaces of each line (0–255), one per start. */
  readonly indents: readonly number[];
}

/** Lines of the largest scratch buffers `LineIndex.of` keeps between calls (256 KiB of starts). */
const SCRATCH_KEPT = 65536;
/** Line starts being found by `LineIndex.of` (entry 0 is always 0). */
let scratch: Uint32Array = new Uint32Array(1024);
/** The indents of those lines, one byte each, with room for three more (packing reads four at a time). */
let scratchIndents: Uint8Array = new Uint8Array(1024 + 4);

function grow(starts: Uint32Array): Uint32Array {
  const larger = new Uint32Array(starts.length * 2);
  larger.set(starts);
  return larger;
}

function growIndents(indents: Uint8Array, lines: number): Uint8Array {
  const larger = new Uint8Array(lines + 4);
  larger.set(indents);
  return larger;
}

/**
 * Offsets of line starts; converts offsets to 0-based line/character (UTF-16) and back. Lines end
 * at `\n`, `\r\n` or a lone `\r`, as in LSP (and YAML).
 *
 * Every file of a workspace keeps one, so it is one typed array: the start of each line, then the
 * leading spaces of each line (at most 255, where fixes that insert a line indent it) packed four
 * to a word.
 */
export class LineIndex {
  private constructor(
    /** `lineCount` line starts, then `ceil(lineCount / 4)` words of indents. */
    private readonly data: Uint32Array,
    readonly lineCount: number,
    readonly length: number,
  ) {}

  /** An index of `count` lines with room for their indents; the caller fills both. */
  private static allocate(count: number): Uint32Array {
    return new Uint32Array(count + ((count + 3) >> 2));
  }

  /** Measures and stores the indent of each line in `from`–`to` (exclusive) of `data`. */
  private static measureIndents(text: string, data: Uint32Array, count: number, from: number, to: number): void {
    for (let line = from; line < to; line++) {
      const start = data[line]!;
      let at = start;
      while (text.charCodeAt(at) === 32 && at - start < 255) at++;
      LineIndex.setIndent(data, count, line, at - start);
    }
  }

  private static setIndent(data: Uint32Array, count: number, line: number, indent: number): void {
    const word = count + (line >> 2);
    const shift = (line & 3) << 3;
    data[word] = (data[word]! & ~(0xff << shift)) | (indent << shift);
  }

  /** Spaces that open 0-based `line`, up to 255 (255 means 255 or more). */
  indentAt(line: number): number {
    return this.indentOf(line);
  }

  private indentOf(line: number): number {
    return (this.data[this.lineCount + (line >> 2)]! >>> ((line & 3) << 3)) & 0xff;
  }

  /**
   * The index of `text`. Line starts and indents are found in one pass into scratch buffers shared
   * by every call (grown as needed, kept up to `SCRATCH_KEPT` lines), then copied to an array of
   * their exact number.
   */
  static of(text: string): LineIndex {
    if (!text.includes('\r')) {
      // One pass: at each line start, count its spaces, then jump to the next line feed.
      let starts = scratch;
      let indents = scratchIndents;
      let count = 1;
      const length = text.length;
      let at = 0;
      while (at < length) {
        const start = at;
        while (text.charCodeAt(at) === 32) at++;
        indents[count - 1] = at - start < 255 ? at - start : 255;
        const lineFeed = text.indexOf('\n', at);
        if (lineFeed < 0) break;
        if (count === starts.length) {
          starts = grow(starts);
          indents = growIndents(indents, starts.length);
        }
        at = lineFeed + 1;
        starts[count++] = at;
      }
      if (starts[count - 1] === length) indents[count - 1] = 0; // an empty last line (or text): not measured above
      if (starts.length <= SCRATCH_KEPT) {
        scratch = starts;
        scratchIndents = indents;
      }
      const data = LineIndex.allocate(count);
      data.set(starts.subarray(0, count));
      indents[count] = indents[count + 1] = indents[count + 2] = 0;
      for (let line = 0, word = count; line < count; line += 4, word++) {
        data[word] = indents[line]! | (indents[line + 1]! << 8) | (indents[line + 2]! << 16) | (indents[line + 3]! << 24);
      }
      return new LineIndex(data, count, text.length);
    }
    const starts: number[] = [0];
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === 13) {
        if (text.charCodeAt(at + 1) === 10) at++;
        starts.push(at + 1);
      } else if (code === 10) {
        starts.push(at + 1);
      }
    }
    return LineIndex.fromStarts(text, starts);
  }

  private static fromStarts(text: string, starts: readonly number[]): LineIndex {
    const data = LineIndex.allocate(starts.length);
    data.set(starts);
    LineIndex.measureIndents(text, data, starts.length, 0, starts.length);
    return new LineIndex(data, starts.length, text.length);
  }

  /**
   * The line index of `text`, an edit of the text this index is of: the text before `start` and
   * from `oldEnd` (in the old text; `newEnd` in the new one) to the end did not change. Lines
   * there are taken over (moved), only the changed lines are scanned. Ends of line `\n` only
   * (otherwise the whole text is read).
   */
  edited(text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    if (text.includes('\r') || this.length - oldEnd !== text.length - newEnd) return LineIndex.of(text);
    const delta = newEnd - oldEnd;
    const kept = this.lineOf(start) + 1; // lines starting at or before `start`
    let after = kept;
    while (after < this.lineCount && this.data[after]! <= oldEnd) after++;
    const middle: number[] = [];
    for (let at = text.indexOf('\n', start); at >= 0 && at < newEnd; at = text.indexOf('\n', at + 1)) middle.push(at + 1);
    const count = kept + middle.length + (this.lineCount - after);
    const data = LineIndex.allocate(count);
    data.set(this.data.subarray(0, kept));
    for (let index = 0; index < middle.length; index++) data[kept + index] = middle[index]!;
    for (let line = after; line < this.lineCount; line++) data[kept + middle.length + line - after] = this.data[line]! + delta;
    for (let line = 0; line < kept - 1; line++) LineIndex.setIndent(data, count, line, this.indentOf(line));
    for (let line = after; line < this.lineCount; line++) LineIndex.setIndent(data, count, kept + middle.length + line - after, this.indentOf(line));
    // The last kept line may run into the change, and the changed lines are new: their indents are measured.
    LineIndex.measureIndents(text, data, count, kept - 1, kept + middle.length);
    return new LineIndex(data, count, text.length);
  }

  /** The plain-data form (line starts, text length, indents) for a cache; `fromJson` reads it back. */
  toJson(): LineIndexJson {
    const starts = [...this.data.subarray(0, this.lineCount)];
    const indents = starts.map((_, line) => this.indentOf(line));
    return { starts, length: this.length, indents };
  }

  /**
   * A line index from its plain-data form, or undefined when it is not one (starts at 0, ascending,
   * within the length; one indent of 0–255 per start).
   */
  static fromJson(value: unknown): LineIndex | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const { starts, length, indents } = value as { starts?: unknown; length?: unknown; indents?: unknown };
    if (!Number.isSafeInteger(length) || (length as number) < 0 || !Array.isArray(starts) || starts[0] !== 0) return undefined;
    if (!Array.isArray(indents) || indents.length !== starts.length) return undefined;
    for (const indent of indents as unknown[]) if (!Number.isInteger(indent) || (indent as number) < 0 || (indent as number) > 255) return undefined;
    let previous = -1;
    for (const start of starts as unknown[]) {
      if (!Number.isSafeInteger(start) || (start as number) <= previous || (start as number) > (length as number)) return undefined;
      previous = start as number;
    }
    const count = (starts as number[]).length;
    const data = LineIndex.allocate(count);
    data.set(starts as number[]);
    (indents as number[]).forEach((indent, line) => LineIndex.setIndent(data, count, line, indent));
    return new LineIndex(data, count, length as number);
  }

  /** The offset at which 0-based `line` starts (`lineCount` lines; a line past the last starts at `length`). */
  lineStart(line: number): number {
    const data = this.data;
    return line < this.lineCount ? data[line]! : this.length;
  }

  lineOf(offset: number): number {
    const target = Math.max(0, Math.min(offset, this.length));
    let low = 0;
    let high = this.lineCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.data[middle]! <= target) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.data[line]! };
  }

  /** Number of spaces that open the line of `offset`. */
  indentationAt(offset: number): number {
    return this.indentOf(this.lineOf(offset));
  }

  /** Offset of the line break that ends the line of `offset` (its `\n`), or the text's length on the last line. */
  lineEndAt(offset: number): number {
    const line = this.lineOf(offset);
    return line + 1 < this.lineCount ? this.data[line + 1]! - 1 : this.length;
  }

  /** Offset of the start of the line of `offset`. */
  lineStartAt(offset: number): number {
    return this.data[this.lineOf(offset)] ?? 0;
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineCount) return this.length;
    const start = this.data[position.line]!;
    const next = position.line + 1 < this.lineCount ? this.data[position.line + 1]! : this.length;
    return Math.min(start + Math.max(0, position.character), next);
  }
}
