/**
 * `textDocument/completion`: the engine's completion (features/completion.ts) as a CompletionList.
 * It answers only at positions the links decide and returns null elsewhere, so it sits beside a
 * schema-driven YAML completion. The list is complete (`isIncomplete: false`): candidates do not
 * depend on what is typed.
 */
import { CompletionItemKind, type CompletionItem, type CompletionList, type CompletionParams } from 'vscode-languageserver/node';
import { completionAt, type CompletionModel } from '../engine/features/completion';
import { analysisOf } from './analysis';
import type { ServerContext } from './context';

const KINDS: Readonly<Record<CompletionModel['kind'], CompletionItemKind>> = {
  'label-key': CompletionItemKind.Property,
  'label-value': CompletionItemKind.Value,
  port: CompletionItemKind.EnumMember,
  service: CompletionItemKind.Reference,
  namespace: CompletionItemKind.Module,
};

export function provideCompletion(context: ServerContext, params: CompletionParams): CompletionList | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  const document = context.documents.get(uri);
  if (!document) return null;
  const text = document.getText();
  const list = completionAt(snapshot, uri, text, document.offsetAt(params.position));
  if (!list) return null;
  const range = { start: document.positionAt(list.replace.start), end: document.positionAt(list.replace.end) };
  const items: CompletionItem[] = list.items.map((item) => ({
    label: item.label,
    kind: KINDS[item.kind],
    detail: item.detail,
    sortText: item.sortText,
    filterText: item.label,
    textEdit: { range, newText: item.insertText },
  }));
  return { isIncomplete: false, items };
}
