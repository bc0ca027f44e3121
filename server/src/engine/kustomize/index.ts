/**
 * An in-process kustomize builder (kustomize v5.7.1 semantics) for the fields links depend on,
 * with provenance on every value. Reads files only through `KustomizeInputs`.
 */
export { buildKustomization, findTops, type BuiltObject, type KustomizeBuild, type KustomizeInputs, type KustomizeNote, type KustomizeNoteEffect, type NameMention } from './build';
export { isKustomizationFile, kustomizationReferences } from './kustomization';
export { ParseCache } from './parseCache';
