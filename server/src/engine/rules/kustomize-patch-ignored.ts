import type { KustomizationRule } from './rule';

type MessageId = 'ignored';

/**
 * A part of a strategic-merge patch that `kubectl kustomize` builds without a word but applies
 * nothing of. kustomize merges lists whose OpenAPI schema names several
 * `x-kubernetes-list-map-keys` (Service `ports` on `port` and `protocol`, container `ports` on
 * `containerPort` and `protocol`) by kyaml's own steps, where a key written on one side only is part
 * of the match: a patch port `{port: 80, targetPort: 8081}` against an object's port
 * `{port: 80, protocol: TCP}` merges into nothing and the object's port stays as it was
 * (kubernetes-sigs/kustomize#3620, #4752; kustomize/strategicMerge.ts follows those steps and is
 * checked against kubectl kustomize v5.7.1). Reported on the patch's element, once however many
 * overlays apply the patch. Also a patch `target` that names an object of a read kind the build
 * does not have: kustomize applies the patch to nothing, silently (kustomize/build.ts).
 */
export const kustomizePatchIgnored: KustomizationRule<MessageId> = {
  id: 'kustomize-patch-ignored',
  target: 'kustomization',
  defaultSeverity: 'warning',
  description: 'kubectl kustomize applies nothing of this part of a patch: the overlay keeps what the patch meant to change.',
  summary:
    'An element of a strategic-merge patch that `kubectl kustomize` silently drops: a port that writes `protocol` where the object\'s port does not, or the other way round (`{port: 80, targetPort: 8081}` against `{port: 80, protocol: TCP}`). kustomize merges ports on port and protocol, so the object\'s port stays as it was. Also a patch `target` naming an object the build does not have.',
  messages: {
    ignored: '{detail}',
  },
  check(file) {
    return file.notes.flatMap((note) => (note.effect === 'ignored' ? [{ span: note.span, messageId: 'ignored' as const, data: { detail: note.message } }] : []));
  },
};
