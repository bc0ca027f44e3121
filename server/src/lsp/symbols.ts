/** `textDocument/documentSymbol`: the Outline (features/symbols.ts) as hierarchical LSP symbols. */
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver/node';
import { documentSymbols, type DocumentSymbolModel } from '../engine/features/symbols';
import type { Snapshot } from '../engine/workspace';
import { analysisOf } from './analysis';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';

const KINDS: Readonly<Record<DocumentSymbolModel['kind'], SymbolKind>> = {
  service: SymbolKind.Interface,
  workload: SymbolKind.Class,
  object: SymbolKind.Object,
  port: SymbolKind.Field,
};

export function provideDocumentSymbols(context: ServerContext, params: DocumentSymbolParams): DocumentSymbol[] | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  return documentSymbols(snapshot, uri, context.documents.get(uri)?.getText()).map((model) => toSymbol(snapshot, uri, model));
}

function toSymbol(snapshot: Snapshot, uri: string, model: DocumentSymbolModel): DocumentSymbol {
  const range = toRange(snapshot, uri, model.span);
  const selection = toRange(snapshot, uri, model.selectionSpan);
  return {
    name: model.name,
    ...(model.detail ? { detail: model.detail } : {}),
    kind: KINDS[model.kind],
    range,
    selectionRange: selection,
    children: model.children.map((child) => toSymbol(snapshot, uri, child)),
  };
}
