/**
 * `textDocument/codeAction`: quick fixes from the findings' own fixes and a suppression comment
 * (features/codeActions.ts), each tied to its diagnostic.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { codeActionsAt } from '../engine/features/codeActions';
import { analysisOf, toSpan, toWorkspaceEdit } from './analysis';
import type { ServerContext } from './context';
import { toDiagnostic } from './diagnostics';

export function provideCodeActions(context: ServerContext, params: CodeActionParams): CodeAction[] | null {
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return null;
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  const text = context.documents.get(uri)?.getText();
  return codeActionsAt(snapshot, uri, toSpan(snapshot, uri, params.range), text).map((action) => ({
    title: action.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [toDiagnostic(snapshot, action.finding)],
    isPreferred: action.preferred,
    edit: toWorkspaceEdit(snapshot, action.edits),
  }));
}
