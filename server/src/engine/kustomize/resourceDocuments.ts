/**
 * What a kustomize build needs of a resource file's documents when no step changes them: the id
 * of each object and the span of its document. A host that read the file already (the analysis
 * host reads every file of the workspace) hands these to the build (`KustomizeInputs.documents`),
 * so a build whose resources no transformer touches, such as a kustomization that only lists
 * `resources`, does not parse its files a second time; a step that changes an object reads the
 * file then (build.ts, `Resource`).
 *
 * The summary stands for the documents only where the build would take them as the file's read
 * gives them: it is undefined for a file with a skipped document (its note is the build's), a
 * `…List` (the build takes its items) or a document kyaml types otherwise than YAML 1.1
 * (`readsOtherwiseAsKyaml`: the build narrows its kyaml tree, not the file's read).
 */
import type { ReadFile } from '../syntax/documents';
import { child, type PNode } from '../syntax/tree';
import type { Span } from '../types';
import { intern } from '../model/compact';
import type { Gvk } from './fieldSpecs';
import { readsOtherwiseAsKyaml } from './kyamlScalars';
import { scalarText } from './tree';

/**
 * An object's id as kustomize's resource map keys it (api/resid: group, version, kind, name and
 * effective namespace).
 */
export interface ResourceId extends Gvk {
  readonly name: string;
  /** Effective namespace: `default` when none is set (kustomize's `EffectiveNamespace`). */
  readonly namespace: string;
}

/** One document of a resource file, as a build takes it. */
export interface ResourceDocument {
  /** The document's index in its file (0-based, counting every document). */
  readonly index: number;
  /** The span of the document's root mapping (offsets into the file's text). */
  readonly span: Span;
  readonly id: ResourceId;
}

/** The kinds kustomize reads as lists of objects (`…List`, with `items`), resources and patches alike. */
export const LIST_KIND = /List$/;

/** An `apiVersion` as its group (empty for the core group) and version. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The id of an object from its root (a pruned tree, or a build's tree: both have this shape). */
export function resourceIdOf(root: PNode): ResourceId {
  const { group, version } = splitApiVersion(scalarText(child(root, 'apiVersion')) ?? '');
  const metadata = child(root, 'metadata');
  const namespace = scalarText(child(metadata, 'namespace')) ?? '';
  return {
    group,
    version,
    kind: scalarText(child(root, 'kind')) ?? '',
    name: scalarText(child(metadata, 'name')) ?? '',
    namespace: namespace === '' ? 'default' : namespace,
  };
}

/**
 * The documents of a file read from `text` with the build's schema (DOCUMENT_SCHEMA), as a build
 * takes them; undefined when the build must read the file itself (see the module comment). The
 * id's strings are copies (`intern`) that keep no text alive.
 */
export function resourceDocumentsOf(read: ReadFile, text: string): ResourceDocument[] | undefined {
  if (read.skipped.length > 0) return undefined;
  const documents: ResourceDocument[] = [];
  for (const document of read.documents) {
    const root = document.root;
    // A build skips a document whose root is no mapping.
    if (root.type !== 'map') continue;
    const id = resourceIdOf(root);
    if (LIST_KIND.test(id.kind) && child(root, 'items')?.type === 'seq') return undefined;
    if (readsOtherwiseAsKyaml(root, text)) return undefined;
    documents.push({
      index: document.index,
      span: { start: root.span.start, end: root.span.end },
      id: { group: intern(id.group), version: intern(id.version), kind: intern(id.kind), name: intern(id.name), namespace: intern(id.namespace) },
    });
  }
  return documents;
}
