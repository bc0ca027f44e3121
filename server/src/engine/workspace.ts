/**
 * The engine's entry point for the language server, the CLI and the tests:
 *
 *   const host = new AnalysisHost(config);                           // one workspace folder or CLI run
 *   const update = host.applyChange({ files: [{ fileId, text }] });  // → Update (changed files, failures)
 *   const snapshot = host.snapshot();                                // findings, hovers, traffic previews
 *
 * File ids are whatever the caller uses ('/'-separated: URIs in the server, paths in the CLI);
 * spans are UTF-16 offsets into the texts given.
 */
export { AnalysisHost, type Change, type FileChange, type SteppedChange, type Update } from './analysis/host';
export { Snapshot } from './analysis/snapshot';
