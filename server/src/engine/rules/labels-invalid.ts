/**
 * Labels and selectors the API server rejects, so the links they seem to make do not exist.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set :
 * - a key is an optional prefix and a name separated by `/`; the name is at most 63 characters,
 *   alphanumerics, `-`, `_` and `.`, starting and ending with an alphanumeric; the prefix is a DNS
 *   subdomain (lowercase labels joined by dots) of at most 253 characters;
 * - a value is at most 63 characters, empty or of the name's character set;
 * - label maps are `map[string]string` (ObjectMeta.labels, Service `spec.selector`, LabelSelector
 *   `matchLabels`): a number or a boolean is not a string (a null value reads as an empty string
 *   in kubectl 1.33 and later). kubectl reads YAML 1.1, so `yes`,
 *   `on` and `off` are booleans too, and the API server refuses the object
 *   (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/#ObjectMeta).
 * - in a file a kustomize overlay builds, a plain date or time is a time to kustomize, which it
 *   writes in RFC 3339 form (kustomize/kyamlScalars.ts `kyamlTimestamp`): `2024-01-15` reaches the
 *   API server as `2024-01-15T00:00:00Z`, whose `:` the value syntax does not allow.
 * Checked in Service `metadata.labels` and `spec.selector`, Pod template labels and workload
 * `spec.selector.matchLabels`.
 */
import type { KubeObject, LabelPair } from '../model/objects';
import type { ObjectRule, RuleReport } from './rule';

type MessageId = 'notString' | 'badKey' | 'badValue' | 'timestamp';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Keys and values already known to be valid: label keys and values repeat across a workspace. */
const validKeys = new Set<string>();
const validValues = new Set<string>();
const CACHE_LIMIT = 50_000;

/** Why a label key is invalid, or undefined when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  if (validKeys.has(key)) return undefined;
  const problem = keyProblem(key);
  if (problem === undefined && key.length <= 316) {
    if (validKeys.size >= CACHE_LIMIT) validKeys.clear();
    validKeys.add(key);
  }
  return problem;
}

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
      return 'its prefix must be a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 characters';
    }
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return 'its name must be 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Whether a label value (as text) has the valid syntax. */
export function isLabelValue(value: string): boolean {
  if (value.length === 0 || validValues.has(value)) return true;
  if (value.length > 63 || !NAME.test(value)) return false;
  if (validValues.size >= CACHE_LIMIT) validValues.clear();
  validValues.add(value);
  return true;
}

const WHERE = {
  labels: 'label',
  selector: 'selector',
  matchLabels: 'matchLabels',
} as const;

/** The fix that quotes a label value where it is written. */
function quoteFix(pair: LabelPair): NonNullable<RuleReport<MessageId>['fixes']>[number] {
  const at = (offset: number) => ({ start: offset, end: offset, ...(pair.valueSpan.fileId ? { fileId: pair.valueSpan.fileId } : {}) });
  return { title: `Quote the value of ${pair.key}`, edits: [{ span: at(pair.valueSpan.start), newText: '"' }, { span: at(pair.valueSpan.end), newText: '"' }] };
}

/**
 * A time as kustomize writes one it read from a plain date or time (kustomize/kyamlScalars.ts
 * `kyamlTimestamp`): `2024-01-15` in a file kustomize builds reaches the API server as this.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkPairs(pairs: readonly LabelPair[], where: keyof typeof WHERE, out: RuleReport<MessageId>[]): void {
  for (const pair of pairs) {
    // A null value reads as "" (kubectl 1.33 and the API server since kubernetes/kubernetes#129257).
    if (pair.valueType === 'number' || pair.valueType === 'boolean') {
      out.push({ span: pair.valueSpan, messageId: 'notString', data: { where: WHERE[where], key: pair.key, value: pair.value, type: pair.valueType }, fixes: [quoteFix(pair)] });
      continue;
    }
    const keyProblem = labelKeyProblem(pair.key);
    if (keyProblem) out.push({ span: pair.keySpan, messageId: 'badKey', data: { where: WHERE[where], key: pair.key, problem: keyProblem } });
    if (isLabelValue(pair.value)) continue;
    // Written shorter than it reads: a plain date or time kustomize rewrote (quoting it keeps the text).
    const rewritten = pair.valueSpan.end - pair.valueSpan.start < pair.value.length;
    if (rewritten && RFC3339.test(pair.value)) out.push({ span: pair.valueSpan, messageId: 'timestamp', data: { where: WHERE[where], key: pair.key, value: pair.value }, fixes: [quoteFix(pair)] });
    else out.push({ span: pair.valueSpan, messageId: 'badValue', data: { where: WHERE[where], key: pair.key, value: pair.value } });
  }
}

export const labelsInvalid: ObjectRule<MessageId> = {
  id: 'labels-invalid',
  target: 'object',
  defaultSeverity: 'error',
  description: 'A label or selector value is not a string, or a label key or value breaks the label syntax: the API server rejects the object.',
  summary: 'A label or selector value that is not a string (`version: 2`, `canary: yes`), or a label key or value that breaks the label syntax: the API server rejects the object, so its links do not exist.',
  messages: {
    notString: '{where} {key} has a {type} value ({value}); label values are strings: quote it. The API server rejects this object.',
    badKey: '{where} key {key} is not a valid label key: {problem}.',
    badValue: '{where} {key}={value} is not a valid label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or empty).',
    timestamp:
      '{where} {key}={value} is not a valid label value (":" is not allowed): kustomize writes a plain date or time as such a timestamp. Quote the value to keep it as written. The API server rejects this object.',
  },
  check(object: KubeObject) {
    const out: RuleReport<MessageId>[] = [];
    if (object.shape === 'service') {
      checkPairs(object.objectLabels, 'labels', out);
      checkPairs(object.selector ?? [], 'selector', out);
    } else if (object.shape === 'template') {
      checkPairs(object.labels, 'labels', out);
      // A workload with several templates reports its selector once, with its first template.
      if (object.order % 256 === 0 && object.workloadSelector) checkPairs(object.workloadSelector.matchLabels, 'matchLabels', out);
    }
    return out;
  },
};
