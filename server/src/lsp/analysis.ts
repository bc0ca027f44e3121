/**
 * The snapshot a request reads, and conversions between engine locations (file ids, offsets) and
 * LSP ones (URIs, ranges). A file not yet in a home (asked before the scan reached it) is added
 * first: from the editor's text when it is open, otherwise from disk only when it is a manifest of
 * a workspace folder that no scan is reading (the scan reads it in its turn), never from an
 * arbitrary URI.
 */
import type { Location, Range, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { FileSpan, Span, TextEdit } from '../engine/types';
import type { Snapshot } from '../engine/workspace';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';
import type { Home } from './homes';
import { applyText, reloadFromDisk } from './sync';
import { canonicalUri } from './uris';

export interface RequestAnalysis {
  readonly uri: string;
  readonly snapshot: Snapshot;
}

/** The snapshot of the home of `uri`, adding the file first when it is not in one yet. */
export function analysisOf(context: ServerContext, rawUri: string): RequestAnalysis | undefined {
  const uri = canonicalUri(rawUri);
  const home = context.homes.homeOf(uri) ?? addFile(context, uri);
  if (!home) return undefined;
  const snapshot = home.host.snapshot();
  return snapshot.hasFile(uri) ? { uri, snapshot } : undefined;
}

function addFile(context: ServerContext, uri: string): Home | undefined {
  const document = context.documents.get(uri);
  if (document) {
    applyText(context, uri, document.getText(), 'editor');
    return context.homes.homeOf(uri);
  }
  const placement = context.homes.placementOf(uri);
  if (placement.kind !== 'folder') return undefined;
  // A scan of the folder reads the file in its turn: read now, a large file would hold up every request.
  if (placement.home.scanPending) return undefined;
  reloadFromDisk(context, uri);
  return context.homes.homeOf(uri);
}

export function toLocation(snapshot: Snapshot, location: FileSpan): Location {
  return { uri: location.fileId, range: toRange(snapshot, location.fileId, location.span) };
}

export function toSpan(snapshot: Snapshot, fileId: string, range: Range): Span {
  return { start: snapshot.offsetAt(fileId, range.start), end: snapshot.offsetAt(fileId, range.end) };
}

/** Edits grouped by file as a WorkspaceEdit (`changes`), each file's edits in offset order. */
export function toWorkspaceEdit(snapshot: Snapshot, edits: readonly (TextEdit & { readonly fileId: string })[]): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  const sorted = [...edits].sort((left, right) => (left.fileId === right.fileId ? left.span.start - right.span.start : left.fileId < right.fileId ? -1 : 1));
  for (const edit of sorted) (changes[edit.fileId] ??= []).push({ range: toRange(snapshot, edit.fileId, edit.span), newText: edit.newText });
  return { changes };
}
