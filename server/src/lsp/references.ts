/** `textDocument/references`: the engine's references (features/navigation.ts) as LSP locations. */
import type { Location, ReferenceParams } from 'vscode-languageserver/node';
import { referencesAt } from '../engine/features/navigation';
import { analysisOf, toLocation } from './analysis';
import type { ServerContext } from './context';

export function provideReferences(context: ServerContext, params: ReferenceParams): Location[] | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  const locations = referencesAt(snapshot, uri, snapshot.offsetAt(uri, params.position), params.context.includeDeclaration);
  return locations.length > 0 ? locations.map((location) => toLocation(snapshot, location)) : null;
}
