import type { KustomizationRule } from './rule';

type MessageId = 'refused';

/**
 * kustomize refuses the kustomization: a field it does not know, or a value its Go type does not
 * take. kustomize decodes a kustomization with sigs.k8s.io/yaml (YAML 1.1) into the `Kustomization`
 * struct of api/types/kustomization.go, unknown fields disallowed, and stops with "invalid
 * Kustomization: json: unknown field …" or "… cannot unmarshal …", so
 * `kubectl kustomize` and `kubectl apply -k` build nothing from it, nor from an overlay that
 * includes it (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/).
 */
export const kustomizationRefused: KustomizationRule<MessageId> = {
  id: 'kustomization-refused',
  target: 'kustomization',
  defaultSeverity: 'error',
  description: 'kustomize refuses a kustomization with a field it does not know or a value of the wrong type, so nothing of it is built.',
  summary: 'A `kustomization.yaml` field kustomize does not know (`namesapce:`) or whose YAML 1.1 value it cannot decode (`namespace: 0123` is a number, `includeSelectors: "true"` a string): `kubectl kustomize` refuses the file and every overlay that includes it. Reported on the field or value; the files it lists are checked as written.',
  messages: {
    refused: 'kubectl kustomize refuses this kustomization: {reason}. Nothing of it is built; the files it lists are checked as written.',
  },
  check({ refusal }) {
    return refusal === undefined ? [] : [{ span: refusal.span, messageId: 'refused', data: { reason: refusal.reason } }];
  },
};
