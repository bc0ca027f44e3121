import type { Position } from '../types';

/** A LineIndex as plain data. */
export interface LineIndexJson {
  readonly starts: readonly number[];
  readonly length: number;
  /** Leading spaces of each line (0–255), one per start. */
  readonly indents: readonly number[];
}

/**
 * Offsets of line starts; converts offsets to 0-based line/character (UTF-16) and back. Lines end
 * at `\n`, `\r\n` or a lone `\r`, as in LSP (and YAML).
 */
export class LineIndex {
  private constructor(
    private readonly starts: Uint32Array,
    readonly length: number,
    /** Leading spaces of each line (at most 255): where fixes that insert a line indent it. */
    private readonly indents: Uint8Array,
  ) {}

  private static indentsOf(text: string, starts: Uint32Array): Uint8Array {
    const indents = new Uint8Array(starts.length);
    for (let line = 0; line < starts.length; line++) {
      let at = starts[line]!;
      const start = at;
      while (text.charCodeAt(at) === 32 && at - start < 255) at++;
      indents[line] = at - start;
    }
    return indents;
  }

  static of(text: string): LineIndex {
    if (!text.includes('\r')) {
      let count = 1;
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
      const starts = new Uint32Array(count);
      let line = 1;
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1;
      return new LineIndex(starts, text.length, LineIndex.indentsOf(text, starts));
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
    const array = Uint32Array.from(starts);
    return new LineIndex(array, text.length, LineIndex.indentsOf(text, array));
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
    while (after < this.starts.length && this.starts[after]! <= oldEnd) after++;
    const middle: number[] = [];
    for (let at = text.indexOf('\n', start); at >= 0 && at < newEnd; at = text.indexOf('\n', at + 1)) middle.push(at + 1);
    const count = kept + middle.length + (this.starts.length - after);
    const starts = new Uint32Array(count);
    const indents = new Uint8Array(count);
    starts.set(this.starts.subarray(0, kept));
    indents.set(this.indents.subarray(0, kept));
    for (let index = 0; index < middle.length; index++) starts[kept + index] = middle[index]!;
    for (let line = after; line < this.starts.length; line++) starts[kept + middle.length + line - after] = this.starts[line]! + delta;
    indents.set(this.indents.subarray(after), kept + middle.length);
    // The last kept line may run into the change, and the changed lines are new: their indents are measured.
    for (let line = kept - 1; line < kept + middle.length; line++) {
      let at = starts[line]!;
      const lineStart = at;
      while (text.charCodeAt(at) === 32 && at - lineStart < 255) at++;
      indents[line] = at - lineStart;
    }
    return new LineIndex(starts, text.length, indents);
  }

  /** The plain-data form (line starts, text length, indents) for a cache; `fromJson` reads it back. */
  toJson(): LineIndexJson {
    return { starts: [...this.starts], length: this.length, indents: [...this.indents] };
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
    return new LineIndex(Uint32Array.from(starts as number[]), length as number, Uint8Array.from(indents as number[]));
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    const target = Math.max(0, Math.min(offset, this.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= target) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.starts[line]! };
  }

  /** Number of spaces that open the line of `offset`. */
  indentationAt(offset: number): number {
    return this.indents[this.lineOf(offset)] ?? 0;
  }

  /** Offset of the start of the line of `offset`. */
  lineStartAt(offset: number): number {
    return this.starts[this.lineOf(offset)] ?? 0;
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.length;
    const start = this.starts[position.line]!;
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1]! : this.length;
    return Math.min(start + Math.max(0, position.character), next);
  }
}
