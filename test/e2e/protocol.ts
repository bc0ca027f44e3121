/**
 * What the in-extension-host suite (test/e2e/suite, bundled to dist/e2e-suite.js) and its runners
 * share: the environment variable naming the result file, and that file's shape. Imports nothing,
 * so the runners can use it without the `vscode` module.
 */

/** Absolute path the suite writes its {@link SuiteResult} to (JSON), when set. */
export const RESULT_FILE_VARIABLE = 'SERVICE_LENS_E2E_RESULT';

/** The command that opens the traffic preview, once the extension contributes it. */
export const TRAFFIC_PREVIEW_COMMAND = 'serviceLens.showTrafficPreview';

export type CheckOutcome = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  readonly name: string;
  readonly outcome: CheckOutcome;
  readonly milliseconds: number;
  /** Why it failed or was skipped. */
  readonly detail?: string;
}

export interface SuiteResult {
  /** The VS Code version the suite ran in (`vscode.version`). */
  readonly vscodeVersion: string;
  readonly checks: readonly CheckResult[];
  readonly passed: boolean;
}

/** Reads a result file's JSON, checking its shape. */
export function parseSuiteResult(json: string): SuiteResult {
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) throw new Error('the suite result is not an object');
  const record = value as Record<string, unknown>;
  if (typeof record['vscodeVersion'] !== 'string' || typeof record['passed'] !== 'boolean' || !Array.isArray(record['checks'])) {
    throw new Error(`the suite result lacks vscodeVersion, passed or checks: ${json.slice(0, 200)}`);
  }
  const checks = record['checks'].map((check: unknown): CheckResult => {
    const entry = (typeof check === 'object' && check !== null ? check : {}) as Record<string, unknown>;
    const { name, outcome, milliseconds, detail } = entry;
    if (typeof name !== 'string' || (outcome !== 'passed' && outcome !== 'failed' && outcome !== 'skipped') || typeof milliseconds !== 'number') {
      throw new Error(`malformed check in the suite result: ${JSON.stringify(check)}`);
    }
    return typeof detail === 'string' ? { name, outcome, milliseconds, detail } : { name, outcome, milliseconds };
  });
  return { vscodeVersion: record['vscodeVersion'], passed: record['passed'], checks };
}

/** One line per check, for test output and failure messages. */
export function describeSuiteResult(result: SuiteResult): string {
  return result.checks
    .map((check) => `${check.outcome.padEnd(7)} ${check.name} (${check.milliseconds} ms)${check.detail ? `\n          ${check.detail.replace(/\n/g, '\n          ')}` : ''}`)
    .join('\n');
}

/** The section of examples/EXPECTED.md whose findings appear once the examples' charts are rendered. */
export const HELM_FINDINGS_SECTION = 'Findings with Helm rendering';

/**
 * `.vscode/settings.json` of the suite's copy of examples/: Helm rendering with the given helm
 * (the test tools' static build) and the cart chart's staging values, as EXPECTED.md's
 * "Findings with Helm rendering" describes. The workbench runs with workspace trust disabled,
 * which VS Code reports as trusted.
 */
export function helmWorkspaceSettings(helmPath: string): Record<string, unknown> {
  return {
    'serviceLens.helm.path': helmPath,
    'serviceLens.helm.valuesFiles': { 'charts/cart': ['charts/cart/values-staging.yaml'] },
  };
}
