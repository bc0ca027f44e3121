/**
 * Builds from the host's summaries in tests: inputs that give each resource file's summary as the
 * analysis host does (`resourceDocumentsOf` over a read of the whole file), and a build as plain
 * data, to compare a build from summaries with one that reads every file.
 */
import type { KustomizeBuild, KustomizeInputs } from '../../server/src/engine/kustomize';
import { isKustomizationFile } from '../../server/src/engine/kustomize';
import { resourceDocumentsOf } from '../../server/src/engine/kustomize/resourceDocuments';
import { readFile } from '../../server/src/engine/syntax/documents';

/** `inputs` with the summaries a host would give (none for kustomization files, as the host). */
export function summaryInputs(inputs: KustomizeInputs): KustomizeInputs {
  return {
    text: (fileId) => inputs.text(fileId),
    ...(inputs.exists ? { exists: (fileId: string) => inputs.exists!(fileId) } : {}),
    documents: (fileId, text) => (isKustomizationFile(fileId) ? undefined : resourceDocumentsOf(readFile(text), text)),
  };
}

/** A build as JSON-comparable data: every field of every object (its trees read), the notes and the files reached. */
export function comparableBuild(build: KustomizeBuild): unknown {
  return {
    objects: build.objects.map((object) => ({
      fileId: object.fileId,
      documentIndex: object.documentIndex,
      transformed: object.transformed,
      text: object.text,
      documentSpan: object.documentSpan,
      root: JSON.parse(JSON.stringify(object.root)) as unknown,
      document: object.document === undefined ? undefined : (JSON.parse(JSON.stringify(object.document)) as unknown),
    })),
    notes: build.notes,
    reached: build.reached,
    patchFiles: build.patchFiles,
  };
}
