/**
 * The linking universe: every manifest file of one scope (a workspace folder, or all paths of one
 * CLI run). Analysis is a function of (files, config); `setFile`/`removeFile` update it
 * incrementally and return the files whose findings may have changed.
 *
 * CONTRACT (stable for the LSP and CLI layers):
 *   new Workspace(config?)                  empty universe
 *   setConfig(partial) -> fileIds           changes config; returns every file whose findings may change
 *   setFile(fileId, text) -> fileIds        adds or replaces a file; returns files to re-publish (incl. fileId)
 *   setFiles([[fileId, text], …]) -> fileIds bulk load (scan, CLI): links once at the end; returns all files
 *   removeFile(fileId) -> fileIds           removes a file; returns files to re-publish (incl. fileId)
 *   hasFile(fileId), fileIds()
 *   findings(fileId) -> Finding[]           sorted by span start
 *   allFindings() -> Finding[]              sorted by fileId, then span start
 *   skipped(fileId) -> SkipNote[]           documents not analysed and why
 *   positionAt(fileId, offset) -> Position  0-based line/character (UTF-16)
 *   offsetAt(fileId, position) -> number
 *   hoverAt(fileId, offset) -> HoverModel | undefined
 *   serviceReports() -> ServiceReport[]     sorted by fileId, then span start
 */
export { Workspace } from './analysis/workspace';
