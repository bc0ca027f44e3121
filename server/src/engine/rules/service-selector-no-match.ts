import { locate, objectLabel } from '../model/objects';
import { labelValuesText } from '../kinds/kind';
import { podLabel } from '../index/linkIndex';
import { isLabelValue, labelKeyProblem } from './labels-invalid';
import { addLabel, setScalar } from './fixes';
import { formatSelector, type RuleFix, type RuleReport, type ServiceRule, type ServiceRuleContext } from './rule';

type MessageId = 'differentValue' | 'missingKey' | 'noCandidate' | 'ownerMiss' | 'operatorPodsMiss' | 'maybeTemplated' | 'maybeInvalid' | 'maybeUnbuilt';

/**
 * A Service whose selector matches no Pod template anywhere gets no endpoints: connections to its
 * cluster IP are refused or time out. The message names the nearest miss, which is usually a typo.
 *
 * Not reported when the Pods are made by an operator for a custom resource of the namespace (the
 * selector names the resource under its API group's label domain: link.ts), and only information
 * when templated documents that were not rendered (a Helm chart, envsubst templates) could hold
 * the Pod template, when a document of its folder that could hold it was skipped as not valid YAML
 * (most often one being typed: the warning would blame the selector for it), or when the Service is
 * built by a kustomize overlay that leaves out part of what kubectl builds (a remote base that is
 * not fetched, `replacements` that are not applied).
 */
export const serviceSelectorNoMatch: ServiceRule<MessageId> = {
  id: 'service-selector-no-match',
  target: 'service',
  defaultSeverity: 'warning',
  description: 'The Service selector matches no Pod template in its namespace (nor in any other).',
  summary:
    "The selector matches no Pod template in the Service's namespace (nor elsewhere). Names the nearest miss: `Deployment/web has app=web-api, not app=web`. Quiet when an operator makes the Pods for a custom resource the selector names; information when an unrendered template, a document skipped as not valid YAML, or the part of a kustomize overlay it does not build, could hold them.",
  messages: {
    differentValue: 'Selector {selector} matches no Pod template in namespace {namespace}; {template} has {key}={actual}, not {key}={wanted}.',
    missingKey: 'Selector {selector} matches no Pod template in namespace {namespace}; {template} has no label {key}.',
    noCandidate: 'Selector {selector} matches no Pod template in namespace {namespace}; no Pod template there has any of its label keys.',
    ownerMiss:
      'Selector {selector} matches no Pod template in namespace {namespace}; {resource} is named {name}, not {wanted}: its operator labels the Pods it makes {key}={name}.',
    operatorPodsMiss:
      'Selector {selector} matches no Pod template in namespace {namespace}; the Pods the operator makes for {resource} have {key}={actual}, not {key}={wanted}.',
    maybeTemplated:
      'Selector {selector} matches no Pod template in namespace {namespace}; it may match a templated document of {source} that was not rendered.',
    maybeInvalid: 'Selector {selector} matches no Pod template in namespace {namespace}; it may match a document of {file} that was skipped as not valid YAML.',
    maybeUnbuilt: 'Selector {selector} matches no Pod template in namespace {namespace}; {partial}, and the part left out may hold it.',
  },
  check(link, context) {
    const { layout } = context;
    const { service } = link;
    // Pod templates another build of the workspace makes (analysis/elsewhere.ts) are matched.
    if (!link.selecting || !service.selector || link.matches.length > 0 || link.otherNamespace.length > 0 || link.owner || link.elsewhere) return [];
    const selector = formatSelector(service.selector);
    // What is not analysed may hold the Pod template: information, saying what (a chart beside the
    // file is a weaker hint, taken when no written template comes close).
    const unseen = link.ownerMiss ? undefined : unseenSource(link.nearestMiss === undefined, service.fileId, context);
    if (unseen) return [{ span: service.selectorSpan ?? service.nameSpan, severity: 'information', messageId: unseen.messageId, data: { selector, namespace: service.namespace, ...unseen.data } }];
    const ownerMiss = link.ownerMiss;
    if (ownerMiss && ownerMiss.resource.podLabels.length > 0) {
      // A kind that declares its operator's Pod labels (kinds/monitoring.ts): name the label they carry.
      const resource = ownerMiss.resource;
      const label = resource.podLabels.find((candidate) => candidate.key === ownerMiss.pair.key);
      const actual = label === undefined ? undefined : labelValuesText(label.values);
      const related = [{ ...locate(resource, resource.nameSpan), message: `${objectLabel(resource)} (${resource.apiVersion})` }];
      if (actual === undefined) {
        return [{ span: ownerMiss.pair.span, messageId: 'missingKey', data: { selector, namespace: service.namespace, template: `the Pods the operator makes for ${objectLabel(resource)}`, key: ownerMiss.pair.key }, related }];
      }
      const single = label !== undefined && label.values !== 'any' && label.values.length === 1 ? label.values[0] : undefined;
      return [
        {
          span: ownerMiss.pair.span,
          messageId: 'operatorPodsMiss',
          data: { selector, namespace: service.namespace, resource: objectLabel(resource), key: ownerMiss.pair.key, actual, wanted: ownerMiss.pair.value },
          related,
          fixes: single === undefined ? [] : [{ title: `Select ${ownerMiss.pair.key}=${single}`, edits: [setScalar(service.fileId, ownerMiss.pair.valueSpan, single)] }],
        },
      ];
    }
    if (ownerMiss) {
      const resource = ownerMiss.resource;
      return [
        {
          span: ownerMiss.pair.span,
          messageId: 'ownerMiss',
          data: { selector, namespace: service.namespace, resource: objectLabel(resource), name: resource.name, wanted: ownerMiss.pair.value, key: ownerMiss.pair.key },
          related: [{ ...locate(resource, resource.nameSpan), message: `${objectLabel(resource)} (${resource.apiVersion})` }],
          fixes: [{ title: `Select ${ownerMiss.pair.key}=${resource.name}`, edits: [setScalar(service.fileId, ownerMiss.pair.valueSpan, resource.name)] }],
        },
      ];
    }
    const miss = link.nearestMiss;
    if (!miss) {
      return [{ span: service.selectorSpan ?? service.nameSpan, messageId: 'noCandidate', data: { selector, namespace: service.namespace } }];
    }
    const template = objectLabel(miss.template);
    const fixes: RuleFix[] = [];
    const own = miss.template.labelMap.get(miss.pair.key);
    if (own !== undefined) fixes.push({ title: `Select ${miss.pair.key}=${own} (the label of ${template})`, edits: [setScalar(service.fileId, miss.pair.valueSpan, own)] });
    else if (podLabel(miss.template, miss.pair.key) === undefined && miss.satisfied === service.selector.length - 1 && !labelKeyProblem(miss.pair.key) && isLabelValue(miss.pair.value)) {
      const edit = addLabel(layout, miss.template.fileId, miss.template.labels, miss.pair.key, miss.pair.value);
      if (edit) fixes.push({ title: `Add the label ${miss.pair.key}=${miss.pair.value} to ${template}`, edits: [{ ...edit, span: { ...edit.span, fileId: edit.span.fileId ?? miss.template.fileId } }] });
    }
    const report: RuleReport<MessageId> = {
      span: miss.pair.span,
      messageId: miss.actual === undefined ? 'missingKey' : 'differentValue',
      data: { selector, namespace: service.namespace, template, key: miss.pair.key, actual: miss.actual ?? '', wanted: miss.pair.value },
      related: [
        {
          ...locate(miss.template, miss.template.labelsSpan ?? miss.template.nameSpan),
          message: `Nearest miss: the Pod template labels of ${template}`,
        },
      ],
      fixes,
    };
    return [report];
  },
};

/** What is not analysed that may hold a Service's Pod template, as the message that says so (none when everything near is read). */
function unseenSource(noCloseTemplate: boolean, fileId: string, context: ServiceRuleContext): { messageId: 'maybeTemplated' | 'maybeInvalid' | 'maybeUnbuilt'; data: Record<string, string> } | undefined {
  const templated = context.templatedNear(fileId, 'pods') ?? (noCloseTemplate ? context.chartBeside(fileId) : undefined);
  if (templated !== undefined) return { messageId: 'maybeTemplated', data: { source: templated } };
  const invalid = context.invalidNear(fileId, 'pods');
  if (invalid !== undefined) return { messageId: 'maybeInvalid', data: { file: invalid } };
  // An overlay that leaves out part of kubectl's build (a remote base, `replacements`) may lack the Pod template, or set the selector.
  if (context.partialBuild !== undefined) return { messageId: 'maybeUnbuilt', data: { partial: context.partialBuild } };
  return undefined;
}
