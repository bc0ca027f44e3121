/**
 * Applies LSP text edits to a text as an editor does: positions are 0-based lines and UTF-16
 * characters of the text before any edit, and the edits of one document do not overlap.
 */
import type { Position, TextEdit } from 'vscode-languageserver-protocol';

/** The UTF-16 offset of `position` in `text` (lines end at `\n`). */
export function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const end = text.indexOf('\n', offset);
    offset = end < 0 ? text.length : end + 1;
  }
  return offset + position.character;
}

/** `text` with `edits` applied, last edit first so that earlier positions stay valid. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((left, right) => offsetOf(text, right.range.start) - offsetOf(text, left.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offsetOf(out, edit.range.start)) + edit.newText + out.slice(offsetOf(out, edit.range.end));
  return out;
}
