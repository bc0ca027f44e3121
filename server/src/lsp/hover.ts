/**
 * `textDocument/hover`: asks the file's universe for a HoverModel at the cursor and renders it.
 * A file not yet in a universe (hovered before the scan reached it, or outside every folder) is
 * added first.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';
import { hoverMarkdown } from './hoverMarkdown';
import { readManifest } from './scanner';
import { applyText } from './sync';
import type { Universe } from './universes';
import { canonicalUri, uriToPath } from './uris';

export function provideHover(context: ServerContext, params: HoverParams): Hover | null {
  const uri = canonicalUri(params.textDocument.uri);
  const home = context.universes.homeOf(uri) ?? addForHover(context, uri);
  if (!home) {
    return null;
  }
  const workspace = home.host.snapshot();
  const model = workspace.hoverAt(uri, workspace.offsetAt(uri, params.position));
  if (!model) {
    return null;
  }
  return {
    contents: { kind: MarkupKind.Markdown, value: hoverMarkdown(workspace, model) },
    range: toRange(workspace, uri, model.span),
  };
}

function addForHover(context: ServerContext, uri: string): Universe | undefined {
  const document = context.documents.get(uri);
  if (document) {
    applyText(context, uri, document.getText(), 'editor');
    return context.universes.homeOf(uri);
  }
  const filePath = uriToPath(uri);
  if (filePath === undefined) {
    return undefined;
  }
  const result = readManifest(filePath);
  if (result.kind !== 'text') {
    return undefined;
  }
  applyText(context, uri, result.text, 'disk');
  return context.universes.homeOf(uri);
}
