/** `textDocument/definition`: the engine's navigation (features/navigation.ts) as LSP locations. */
import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { definitionAt } from '../engine/features/navigation';
import { analysisOf, toLocation } from './analysis';
import type { ServerContext } from './context';

export function provideDefinition(context: ServerContext, params: DefinitionParams): Location[] | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  const locations = definitionAt(snapshot, uri, snapshot.offsetAt(uri, params.position));
  return locations.length > 0 ? locations.map((location) => toLocation(snapshot, location)) : null;
}
