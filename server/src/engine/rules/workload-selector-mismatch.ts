/**
 * A Deployment, ReplicaSet, StatefulSet or DaemonSet must select its own Pod template: the API
 * server rejects "selector does not match template labels", and `spec.selector` must be a
 * LabelSelector (matchLabels / matchExpressions). Semantics of the operators:
 * concepts/overview/working-with-objects/labels/#resources-that-support-set-based-requirements
 */
import type { PodTemplate, SelectorExpression } from '../model/objects';
import type { RuleReport, TemplateRule } from './rule';

type MessageId = 'pair' | 'expression' | 'empty' | 'noWorkloadRef';

export function expressionHolds(expression: SelectorExpression, labels: ReadonlyMap<string, string>): boolean {
  const value = labels.get(expression.key);
  switch (expression.operator) {
    case 'In':
      return value !== undefined && expression.values.includes(value);
    case 'NotIn':
      return value === undefined || !expression.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      // An unknown operator is rejected by the API server; it selects nothing.
      return false;
  }
}

/**
 * The report for a Rollout whose `spec.workloadRef` names no workload of its namespace (the
 * scope checks the template it takes otherwise): the Argo Rollouts controller takes the Pod
 * template from the referenced workload (argo-rollouts.readthedocs.io/en/stable/features/specification/,
 * "workloadRef"), so without one the Rollout has none and its selector can match nothing.
 */
export function unresolvedWorkloadRef(template: PodTemplate): RuleReport<MessageId> | undefined {
  const reference = template.workloadRef;
  if (!reference) return undefined;
  return {
    span: reference.span,
    messageId: 'noWorkloadRef',
    data: { reference: `${reference.kind}/${reference.name}`, namespace: template.namespace, workload: `${template.kind}/${template.name}` },
  };
}

export const workloadSelectorMismatch: TemplateRule<MessageId> = {
  id: 'workload-selector-mismatch',
  target: 'template',
  defaultSeverity: 'error',
  description: "A workload's spec.selector is not satisfied by its own Pod template labels.",
  summary:
    'A Deployment/ReplicaSet/StatefulSet/DaemonSet `spec.selector` (matchLabels, matchExpressions) that its own template labels do not satisfy.',
  messages: {
    pair: 'spec.selector requires {key}={value}, but the Pod template of {workload} has {actual}.',
    expression: 'spec.selector requires {key} {operator}{values}, which the Pod template labels of {workload} do not satisfy.',
    empty: 'spec.selector of {workload} has neither matchLabels nor matchExpressions; a {kind} must select its own Pod template.',
    noWorkloadRef: 'spec.workloadRef names {reference}, which does not exist in namespace {namespace}: {workload} has no Pod template to take, and makes no Pods.',
  },
  check(template: PodTemplate) {
    const selector = template.workloadSelector;
    if (!selector) return [];
    const workload = `${template.kind}/${template.name}`;
    const related = [{ fileId: template.fileId, span: template.labelsSpan ?? template.nameSpan, message: `Pod template labels of ${workload}` }];
    if (selector.matchLabels.length === 0 && selector.matchExpressions.length === 0) {
      return [{ span: selector.span, messageId: 'empty', data: { workload, kind: template.kind } }];
    }
    const reports: RuleReport<MessageId>[] = [];
    for (const pair of selector.matchLabels) {
      const actual = template.labelMap.get(pair.key);
      if (actual === pair.value) continue;
      reports.push({
        span: pair.span,
        messageId: 'pair',
        data: { key: pair.key, value: pair.value, workload, actual: actual === undefined ? `no label ${pair.key}` : `${pair.key}=${actual}` },
        related,
      });
    }
    for (const expression of selector.matchExpressions) {
      if (expressionHolds(expression, template.labelMap)) continue;
      const values = expression.values.length > 0 ? ` (${expression.values.join(', ')})` : '';
      reports.push({
        span: expression.span,
        messageId: 'expression',
        data: { key: expression.key, operator: expression.operator, values, workload },
        related,
      });
    }
    return reports;
  },
};
