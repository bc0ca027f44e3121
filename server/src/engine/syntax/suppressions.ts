/**
 * Suppression comments: a comment line `# service-lens-disable-next-line <rule-id>[, <rule-id>…]`
 * disables the named rules for findings that start on the next line. The directive must open a
 * whole-line comment (as the TextMate grammar highlights it). Ids only: never message text.
 */
import type { LineIndex } from './lines';

export const DISABLE_NEXT_LINE = 'service-lens-disable-next-line';

/** Line (0-based) → rule ids disabled on it. */
export type Suppressions = ReadonlyMap<number, ReadonlySet<string>>;

const NONE: Suppressions = new Map();

export function readSuppressions(text: string, lines: LineIndex): Suppressions {
  let at = text.indexOf(DISABLE_NEXT_LINE);
  if (at < 0) return NONE;
  const out = new Map<number, Set<string>>();
  while (at >= 0) {
    const line = lines.lineOf(at);
    const lineStart = lines.offsetAt({ line, character: 0 });
    const lineEnd = line + 1 < lines.lineCount ? lines.offsetAt({ line: line + 1, character: 0 }) : text.length;
    if (/^[ \t]*#[ \t]*$/.test(text.slice(lineStart, at))) {
      const rest = text.slice(at + DISABLE_NEXT_LINE.length, lineEnd);
      if (/^(\s|$)/.test(rest)) {
        const ids = rest.split(/[\s,]+/).filter(Boolean);
        let set = out.get(line + 1);
        if (!set) out.set(line + 1, (set = new Set()));
        for (const id of ids) set.add(id);
      }
    }
    at = text.indexOf(DISABLE_NEXT_LINE, at + DISABLE_NEXT_LINE.length);
  }
  return out;
}
