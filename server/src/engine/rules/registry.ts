/**
 * Every rule, registered explicitly in id order. A test checks that each id has a rule file, a
 * doc page and fixtures, and that this list and RULE_IDS agree.
 */
import { labelsInvalid } from './labels-invalid';
import type { ObjectRule, Rule, ServiceRule, TemplateRule } from './rule';
import { servicePortProtocolMismatch } from './service-port-protocol-mismatch';
import { servicePortsInvalid } from './service-ports-invalid';
import { serviceSelectorNoMatch } from './service-selector-no-match';
import { serviceSelectorOtherNamespace } from './service-selector-other-namespace';
import { serviceTargetPortUndeclared } from './service-target-port-undeclared';
import { serviceTargetPortUnresolved } from './service-target-port-unresolved';
import { workloadSelectorMismatch } from './workload-selector-mismatch';

export const RULES: readonly Rule[] = [
  labelsInvalid,
  servicePortProtocolMismatch,
  servicePortsInvalid,
  serviceSelectorNoMatch,
  serviceSelectorOtherNamespace,
  serviceTargetPortUndeclared,
  serviceTargetPortUnresolved,
  workloadSelectorMismatch,
];

export const SERVICE_RULES: readonly ServiceRule[] = RULES.filter((rule): rule is ServiceRule => rule.target === 'service');
export const TEMPLATE_RULES: readonly TemplateRule[] = RULES.filter((rule): rule is TemplateRule => rule.target === 'template');
export const OBJECT_RULES: readonly ObjectRule[] = RULES.filter((rule): rule is ObjectRule => rule.target === 'object');
