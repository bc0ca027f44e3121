import type { RuleId } from '../types';

export const DOCS_BASE = 'https://github.com/service-lens/service-lens/blob/main/docs/rules/';

/** The documentation page of a rule; the diagnostic's `codeDescription.href` and SARIF `helpUri`. */
export function ruleDocUrl(id: RuleId): string {
  return `${DOCS_BASE}${id}.md`;
}
