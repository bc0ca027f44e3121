/**
 * `textDocument/codeLens`: what each Service reaches and who routes to each Pod template
 * (features/codeLens.ts). A lens's command is `serviceLens.showReferences` with the arguments of
 * VS Code's `editor.action.showReferences` in LSP terms: `[uri, position, locations]`. The client
 * turns them into a peek; without a client command the lens still shows its title.
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { codeLenses } from '../engine/features/codeLens';
import { SHOW_REFERENCES_COMMAND } from '../protocol/commands';
import { analysisOf, toLocation } from './analysis';
import type { ServerContext } from './context';
import { toRange } from './diagnostics';

export function provideCodeLenses(context: ServerContext, params: CodeLensParams): CodeLens[] | null {
  const analysis = analysisOf(context, params.textDocument.uri);
  if (!analysis) return null;
  const { uri, snapshot } = analysis;
  return codeLenses(snapshot, uri).map((lens) => {
    const range = toRange(snapshot, uri, lens.span);
    return {
      range,
      command: {
        title: lens.title,
        command: lens.locations.length > 0 ? SHOW_REFERENCES_COMMAND : '',
        arguments: lens.locations.length > 0 ? [uri, range.start, lens.locations.map((location) => toLocation(snapshot, location))] : [],
      },
    };
  });
}
