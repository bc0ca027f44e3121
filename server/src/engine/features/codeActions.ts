/**
 * Quick fixes: the fixes the rules attach to their findings, and for every finding a comment
 * `# service-lens-disable-next-line <rule-id>` above its line (added to a directive already there),
 * except in a `.json` manifest, which can hold no comment.
 */
import type { Snapshot } from '../analysis/snapshot';
import { DISABLE_NEXT_LINE } from '../syntax/suppressions';
import type { Finding, Span, TextEdit } from '../types';
import { isJsonFile } from '../rules/fixes';

export interface CodeActionModel {
  readonly title: string;
  /** The finding the action resolves. */
  readonly finding: Finding;
  readonly edits: readonly (TextEdit & { readonly fileId: string })[];
  /** The rule's first fix: what Ctrl+. applies first. */
  readonly preferred: boolean;
  readonly kind: 'fix' | 'suppress';
}

/**
 * Actions for the findings of `fileId` that touch `span`. `text` is the file's current text (the
 * editor's), used to add to an existing suppression comment; without it a new comment line is added.
 */
export function codeActionsAt(snapshot: Snapshot, fileId: string, span: Span, text: string | undefined): CodeActionModel[] {
  const out: CodeActionModel[] = [];
  for (const finding of snapshot.findings(fileId)) {
    if (finding.span.end < span.start || finding.span.start > span.end) continue;
    finding.fixes.forEach((fix, index) => out.push({ title: fix.title, finding, edits: fix.edits, preferred: index === 0, kind: 'fix' }));
    if (!isJsonFile(finding.fileId)) out.push(suppression(snapshot, finding, text));
  }
  return out;
}

function suppression(snapshot: Snapshot, finding: Finding, text: string | undefined): CodeActionModel {
  const title = `Disable ${finding.ruleId} for this line`;
  const lineStart = snapshot.lineStartAt(finding.fileId, finding.span.start);
  if (text !== undefined && lineStart > 0) {
    const previousStart = snapshot.lineStartAt(finding.fileId, lineStart - 1);
    const previous = text.slice(previousStart, lineStart).replace(/\r?\n$|\r$/, '');
    const directive = new RegExp(`^[ \\t]*#[ \\t]*${DISABLE_NEXT_LINE}(?=\\s|$)`).exec(previous);
    if (directive) {
      const end = previousStart + previous.replace(/\s+$/, '').length;
      return { title, finding, edits: [{ fileId: finding.fileId, span: { start: end, end }, newText: `, ${finding.ruleId}` }], preferred: false, kind: 'suppress' };
    }
  }
  const indentation = ' '.repeat(snapshot.indentationAt(finding.fileId, finding.span.start));
  const newline = text?.includes('\r\n') ? '\r\n' : '\n';
  return {
    title,
    finding,
    edits: [{ fileId: finding.fileId, span: { start: lineStart, end: lineStart }, newText: `${indentation}# ${DISABLE_NEXT_LINE} ${finding.ruleId}${newline}` }],
    preferred: false,
    kind: 'suppress',
  };
}
