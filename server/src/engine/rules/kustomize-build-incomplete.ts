import type { KustomizationRule, RuleReport } from './rule';

type MessageId = 'fails' | 'partial';

/**
 * What the in-editor kustomize build could not make as `kubectl kustomize` makes it, so the links
 * of the overlays that read the file may differ from the cluster's:
 * - `fails` (error): kubectl stops on this and builds nothing (a missing resource or patch file, a
 *   cycle, a patch that is not YAML, a JSON patch without a target or with an invalid operation, a
 *   patch that matches no object or several); checked with kubectl v1.34 (kustomize v5.7.1);
 * - `partial` (information): kubectl builds it, but not all of it is reproduced here (a remote
 *   resource is not fetched, a generator or a target's annotationSelector is not run), so objects
 *   it would make or change are missing.
 * Reported where the build note points, once however many overlays read the file
 * (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/).
 */
export const kustomizeBuildIncomplete: KustomizationRule<MessageId> = {
  id: 'kustomize-build-incomplete',
  target: 'kustomization',
  defaultSeverity: 'error',
  description: 'kubectl kustomize fails on this, or the in-editor build reproduces only part of it: the overlays that read the file may not be what the cluster gets.',
  summary:
    'A kustomize build that `kubectl kustomize` fails on (a missing resource or patch file, a patch that matches no object: error) or that is reproduced only in part here (a remote resource not fetched, a plugin generator not run: information). The overlays that read the file are linked from what could be built.',
  messages: {
    fails: 'kubectl kustomize fails the build here: {detail}',
    partial: '{detail}',
  },
  check(file) {
    // A partial build is information: nothing is wrong in the file, only less is known of it.
    const reports: RuleReport<MessageId>[] = [];
    for (const note of file.notes) {
      if (note.effect === 'fails') reports.push({ span: note.span, messageId: 'fails', data: { detail: note.message } });
      else if (note.effect === 'partial') reports.push({ span: note.span, messageId: 'partial', severity: 'information', data: { detail: note.message } });
      // `ignored` notes are kustomize-patch-ignored's.
    }
    return reports;
  },
};
