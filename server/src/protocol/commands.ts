/**
 * Client commands the server names in what it sends. Imports nothing.
 *
 * `serviceLens.showReferences` (code lens command): arguments `[uri: string, position: Position,
 * locations: Location[]]` in LSP terms, the arguments of VS Code's `editor.action.showReferences`
 * before conversion; the client converts them and shows the locations in a peek.
 */
export const SHOW_REFERENCES_COMMAND = 'serviceLens.showReferences';
