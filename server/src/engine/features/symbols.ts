/**
 * The Outline of a file: one symbol per object the engine reads (`Kind name`, with its namespace as
 * detail), a Service's ports as its children. Only spans of the file itself are used.
 */
import type { Snapshot } from '../analysis/snapshot';
import { isService, objectLabel } from '../model/objects';
import type { Span } from '../types';

export type SymbolKind = 'object' | 'service' | 'workload' | 'port';

export interface DocumentSymbolModel {
  readonly name: string;
  readonly detail: string;
  readonly kind: SymbolKind;
  /** The whole object (or port item). */
  readonly span: Span;
  /** What to select: the name value (or the port value). */
  readonly selectionSpan: Span;
  readonly children: readonly DocumentSymbolModel[];
}

export function documentSymbols(snapshot: Snapshot, fileId: string): DocumentSymbolModel[] {
  const out: DocumentSymbolModel[] = [];
  for (const object of snapshot.objectsOf(fileId)) {
    if (!inFile(object.span, object.fileId) || !inFile(object.nameSpan, object.fileId)) continue;
    const name = objectLabel(object).replace('/', ' ');
    const detail = `namespace ${object.namespace}`;
    if (isService(object)) {
      const children: DocumentSymbolModel[] = [];
      for (const port of object.ports) {
        if (!inFile(port.span, object.fileId)) continue;
        const number = port.port?.value;
        const target = port.targetPort?.value;
        const label = `${port.name?.value ?? 'port'} ${number ?? '?'}${target !== undefined && target !== number ? `→${target}` : ''}/${port.protocol}`;
        children.push({ name: label, detail: '', kind: 'port', span: port.span, selectionSpan: port.port?.span ?? port.span, children: [] });
      }
      out.push({ name, detail, kind: 'service', span: object.span, selectionSpan: object.nameSpan, children });
    } else {
      out.push({ name, detail, kind: object.shape === 'template' ? 'workload' : 'object', span: object.span, selectionSpan: object.nameSpan, children: [] });
    }
  }
  return out;
}

/** Whether a span lies in `fileId` (a built object's spans name their file). */
function inFile(span: { readonly fileId?: string }, fileId: string): boolean {
  return span.fileId === undefined || span.fileId === fileId;
}
