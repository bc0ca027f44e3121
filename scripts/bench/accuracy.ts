/**
 * Recall and precision of the engine's findings against the generator's planted faults. A finding
 * of one of five rules maps to a fault type and matches a fault with the same (type, file,
 * namespace, Service name). Findings of other rules are counted apart: the generator does not
 * model them, so they are neither right nor wrong here.
 */
import type { Finding, RuleId } from '../../server/src/engine/types';
import { FAULT_TYPES, type Fault, type FaultType } from './corpus';
import type { LocatedFinding } from './inProcess';

export interface TypeScore {
  readonly faults: number;
  readonly foundFaults: number;
  readonly findings: number;
  readonly matchedFindings: number;
  /** Matched findings on the fault's `line`. */
  readonly onFaultLine: number;
}

export interface OtherFindings {
  readonly count: number;
  readonly examples: readonly string[];
}

export interface Accuracy {
  readonly faults: number;
  readonly foundFaults: number;
  /** Findings of the five mapped rules. */
  readonly findings: number;
  readonly matchedFindings: number;
  readonly recall: number;
  readonly precision: number;
  /** Matched findings on the fault's `line` (1-based). */
  readonly lineAgreement: number;
  readonly byType: Readonly<Record<FaultType, TypeScore>>;
  readonly missed: readonly Fault[];
  readonly unmatched: readonly LocatedFinding[];
  /** Findings of rules (or severities) the generator does not model, by rule id. */
  readonly other: Readonly<Record<string, OtherFindings>>;
}

const EXAMPLES = 3;

/** The fault type a finding reports, or undefined for findings the generator does not model. */
export function faultTypeOf(finding: Finding): FaultType | undefined {
  const byRule: Partial<Record<RuleId, FaultType>> = {
    'service-selector-no-match': 'selector-no-match',
    'service-selector-other-namespace': 'selector-other-namespace',
    'service-target-port-unresolved': 'targetport-name-missing',
    'service-port-protocol-mismatch': 'protocol-mismatch',
  };
  if (finding.resource.kind !== 'Service') return undefined;
  if (finding.ruleId === 'service-target-port-undeclared') {
    // Information severity means the template declares no ports at all: not a fault of the generator's model.
    return finding.severity === 'warning' ? 'targetport-numeric-not-exposed' : undefined;
  }
  return byRule[finding.ruleId];
}

export function score(faults: readonly Fault[], findings: readonly LocatedFinding[]): Accuracy {
  const byKey = new Map<string, Fault>();
  for (const fault of faults) byKey.set(key(fault.type, fault.file, fault.namespace, fault.service), fault);
  const found = new Set<Fault>();
  const unmatched: LocatedFinding[] = [];
  const other: Record<string, { count: number; examples: string[] }> = {};
  const scores = Object.fromEntries(
    FAULT_TYPES.map((type) => [type, { faults: 0, foundFaults: 0, findings: 0, matchedFindings: 0, onFaultLine: 0 }]),
  ) as Record<FaultType, { faults: number; foundFaults: number; findings: number; matchedFindings: number; onFaultLine: number }>;
  for (const fault of faults) scores[fault.type].faults++;

  let mapped = 0;
  let matched = 0;
  let onLine = 0;
  for (const located of findings) {
    const { finding } = located;
    const type = faultTypeOf(finding);
    if (type === undefined) {
      const name = finding.ruleId === 'service-target-port-undeclared' ? `${finding.ruleId} (${finding.severity})` : finding.ruleId;
      const entry = (other[name] ??= { count: 0, examples: [] });
      entry.count++;
      if (entry.examples.length < EXAMPLES) entry.examples.push(`${located.file}:${located.line} ${finding.message}`);
      continue;
    }
    mapped++;
    scores[type].findings++;
    const fault = byKey.get(key(type, located.file, finding.resource.namespace, finding.resource.name));
    if (!fault) {
      unmatched.push(located);
      continue;
    }
    matched++;
    scores[type].matchedFindings++;
    found.add(fault);
    if (located.line === fault.line) {
      onLine++;
      scores[type].onFaultLine++;
    }
  }
  for (const fault of found) scores[fault.type].foundFaults++;
  return {
    faults: faults.length,
    foundFaults: found.size,
    findings: mapped,
    matchedFindings: matched,
    recall: faults.length === 0 ? 1 : found.size / faults.length,
    precision: mapped === 0 ? 1 : matched / mapped,
    lineAgreement: onLine,
    byType: scores,
    missed: faults.filter((fault) => !found.has(fault)),
    unmatched,
    other,
  };
}

function key(type: FaultType, file: string, namespace: string, service: string): string {
  return [type, file, namespace, service].join('\u0000');
}
