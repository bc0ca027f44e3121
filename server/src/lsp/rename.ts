/**
 * `textDocument/prepareRename` and `textDocument/rename` (features/rename.ts). A refused rename is
 * answered with an error (RequestFailed) whose message says why; the editor shows it.
 */
import { ResponseError, type PrepareRenameParams, type Range, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver/node';
import { prepareRenameAt, renameAt } from '../engine/features/rename';
import { analysisOf, toWorkspaceEdit } from './analysis';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';

/** LSP's RequestFailed: the request was valid but could not be carried out. */
const REQUEST_FAILED = -32803;

export function providePrepareRename(context: ServerContext, params: PrepareRenameParams): { range: Range; placeholder: string } | ResponseError | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  const result = prepareRenameAt(snapshot, uri, snapshot.offsetAt(uri, params.position));
  if (!result) return null;
  if ('refused' in result) return new ResponseError(REQUEST_FAILED, result.refused);
  return { range: toRange(snapshot, uri, result.span), placeholder: result.placeholder };
}

export function provideRename(context: ServerContext, params: RenameParams): WorkspaceEdit | ResponseError | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  const result = renameAt(snapshot, uri, snapshot.offsetAt(uri, params.position), params.newName);
  if (!result) return null;
  if ('refused' in result) return new ResponseError(REQUEST_FAILED, result.refused);
  return toWorkspaceEdit(snapshot, result.edits);
}
