/**
 * `textDocument/hover`: asks the file's home for a HoverModel at the cursor and renders it.
 * A file not yet in a home (hovered before the scan reached it, or outside every folder) is
 * added first (lsp/analysis.ts): from the client's text when the document is open, otherwise from
 * disk only when it is a manifest inside a workspace folder that no scan is reading (under the
 * folder's link policy), never from an arbitrary URI.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';
import { hoverMarkdown } from './hoverMarkdown';
import { analysisOf } from './analysis';

export function provideHover(context: ServerContext, params: HoverParams): Hover | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) {
    return null;
  }
  const { uri, snapshot: workspace } = analysis;
  const model = workspace.hoverAt(uri, workspace.offsetAt(uri, params.position));
  if (!model) {
    return null;
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(workspace, model) },
    range: toRange(workspace, uri, model.span),
  };
}
