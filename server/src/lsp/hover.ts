/**
 * `textDocument/hover`: asks the file's home for a HoverModel at the cursor and renders it.
 * A file not yet in a home (hovered before the scan reached it, or outside every folder) is
 * added first: from the client's text when the document is open, otherwise from disk only when it is
 * a manifest inside a workspace folder (under the folder's link policy), never from an arbitrary URI.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver/node';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';
import { hoverMarkdown } from './hoverMarkdown';
import { applyText, reloadFromDisk } from './sync';
import type { Home } from './homes';
import { canonicalUri } from './uris';

export function provideHover(context: ServerContext, params: HoverParams): Hover | null {
  const uri = canonicalUri(params.textDocument.uri);
  const home = context.homes.homeOf(uri) ?? addForHover(context, uri);
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

function addForHover(context: ServerContext, uri: string): Home | undefined {
  const document = context.documents.get(uri);
  if (document) {
    applyText(context, uri, document.getText(), 'editor');
    return context.homes.homeOf(uri);
  }
  if (context.homes.placementOf(uri).kind !== 'folder') {
    return undefined;
  }
  reloadFromDisk(context, uri); // reads only a manifest of a workspace folder, under its link policy
  return context.homes.homeOf(uri);
}
