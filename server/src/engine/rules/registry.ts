/**
 * Every rule, registered explicitly and sorted by id. This object is the one list of rules: the
 * rule ids (`RuleId`, `RULE_IDS`) are its keys, and `npm run generate` writes the settings schema in
 * package.json, the grammars' rule-id lists, the README rule table and docs/rules/README.md from it.
 * test/unit/registry.test.ts checks that each key is its rule's id, that each rule has its doc page
 * and fixtures, and that the generated files are up to date.
 *
 * Adding a rule: its file `<id>.ts`, one import and one line here, `docs/rules/<id>.md`, fixtures in
 * `test/fixtures/rules/<id>/`, then `npm run generate`.
 */
import { chartRenderFailed } from './chart-render-failed';
import { containerPortsInvalid } from './container-ports-invalid';
import { endpointsPortUnmatched } from './endpoints-port-unmatched';
import { fieldMisspelt } from './field-misspelt';
import { ingressBackendUnresolved } from './ingress-backend-unresolved';
import { kustomizationRefused } from './kustomization-refused';
import { kustomizeBuildIncomplete } from './kustomize-build-incomplete';
import { kustomizePatchIgnored } from './kustomize-patch-ignored';
import { labelsInvalid } from './labels-invalid';
import { monitorUnresolved } from './monitor-unresolved';
import { routeBackendUnresolved } from './route-backend-unresolved';
import type { ChartRule, KustomizationRule, ObjectRule, ReferenceRule, Rule, ServiceRule, TemplateRule } from './rule';
import { servicePortProtocolMismatch } from './service-port-protocol-mismatch';
import { servicePortsInvalid } from './service-ports-invalid';
import { serviceSelectorNoMatch } from './service-selector-no-match';
import { serviceSelectorOtherNamespace } from './service-selector-other-namespace';
import { serviceTargetPortUndeclared } from './service-target-port-undeclared';
import { serviceTargetPortUnresolved } from './service-target-port-unresolved';
import { statefulsetServiceUnresolved } from './statefulset-service-unresolved';
import { workloadSelectorMismatch } from './workload-selector-mismatch';

const RULES_BY_ID = {
  'chart-render-failed': chartRenderFailed,
  'container-ports-invalid': containerPortsInvalid,
  'endpoints-port-unmatched': endpointsPortUnmatched,
  'field-misspelt': fieldMisspelt,
  'ingress-backend-unresolved': ingressBackendUnresolved,
  'kustomization-refused': kustomizationRefused,
  'kustomize-build-incomplete': kustomizeBuildIncomplete,
  'kustomize-patch-ignored': kustomizePatchIgnored,
  'labels-invalid': labelsInvalid,
  'monitor-unresolved': monitorUnresolved,
  'route-backend-unresolved': routeBackendUnresolved,
  'service-port-protocol-mismatch': servicePortProtocolMismatch,
  'service-ports-invalid': servicePortsInvalid,
  'service-selector-no-match': serviceSelectorNoMatch,
  'service-selector-other-namespace': serviceSelectorOtherNamespace,
  'service-target-port-undeclared': serviceTargetPortUndeclared,
  'service-target-port-unresolved': serviceTargetPortUnresolved,
  'statefulset-service-unresolved': statefulsetServiceUnresolved,
  'workload-selector-mismatch': workloadSelectorMismatch,
};

/** Stable rule ids: the file name, the diagnostic `code`, the settings key, the suppression key, the docs slug. */
export type RuleId = keyof typeof RULES_BY_ID;

/** The registry's keys, in its (id) order. */
export const RULE_IDS: readonly RuleId[] = Object.keys(RULES_BY_ID) as RuleId[];

/** Every rule, in id order. */
export const RULES: readonly Rule[] = Object.values(RULES_BY_ID);

export function isRuleId(value: string): value is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES_BY_ID, value);
}

/** The rule registered under `id`. */
export function ruleOf(id: RuleId): Rule {
  return RULES_BY_ID[id];
}

export const SERVICE_RULES: readonly ServiceRule[] = RULES.filter((rule): rule is ServiceRule => rule.target === 'service');
export const TEMPLATE_RULES: readonly TemplateRule[] = RULES.filter((rule): rule is TemplateRule => rule.target === 'template');
export const OBJECT_RULES: readonly ObjectRule[] = RULES.filter((rule): rule is ObjectRule => rule.target === 'object');
export const CHART_RULES: readonly ChartRule[] = RULES.filter((rule): rule is ChartRule => rule.target === 'chart');
export const KUSTOMIZATION_RULES: readonly KustomizationRule[] = RULES.filter((rule): rule is KustomizationRule => rule.target === 'kustomization');
export const REFERENCE_RULES: readonly ReferenceRule[] = RULES.filter((rule): rule is ReferenceRule => rule.target === 'reference');
