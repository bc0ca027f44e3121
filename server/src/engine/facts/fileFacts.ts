/**
 * What one file says, read once per text: its objects (as facts), the documents that were not
 * analysed and why, its suppression comments and its line starts. Plain data, the same whatever
 * the settings except `serviceLens.podTemplatePaths` (which widens what is read), so it can be
 * kept, shared by several scopes and cached.
 */
import type { PodTemplatePaths } from '../kinds/registry';
import { documentSchema } from '../kinds/registry';
import { narrowDocument } from '../model/narrow';
import type { ObjectFacts } from '../model/objects';
import { readFile } from '../syntax/documents';
import { LineIndex } from '../syntax/lines';
import { readSuppressions } from '../syntax/suppressions';
import type { SkipNote } from '../types';

export interface FileFacts {
  readonly lines: LineIndex;
  readonly objects: readonly ObjectFacts[];
  readonly skipped: readonly Omit<SkipNote, 'fileId'>[];
  /** Suppression comments: 0-based line → rule ids disabled for findings starting on it. */
  readonly suppressions: ReadonlyMap<number, ReadonlySet<string>>;
}

/** Settings that change what is read from a file. */
export interface FactOptions {
  readonly podTemplatePaths: PodTemplatePaths;
}

export function readFileFacts(text: string, options: FactOptions): FileFacts {
  const lines = LineIndex.of(text);
  const read = readFile(text, documentSchema(options.podTemplatePaths));
  const objects = read.documents.flatMap((document) => narrowDocument(document.root, document.index, options));
  return { lines, objects, skipped: read.skipped, suppressions: readSuppressions(text, lines) };
}
