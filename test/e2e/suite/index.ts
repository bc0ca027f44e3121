/**
 * The in-extension-host suite (bundled to dist/e2e-suite.js). VS Code loads it through
 * `extensionTestsPath` and calls `run()`, the contract of `@vscode/test-electron`; the same bundle
 * runs in code-server (test/e2e/codeServer.test.ts) and in a desktop VS Code (test/e2e/runElectron.ts).
 *
 * The workspace is a copy of examples/. Every check waits on editor events with a timeout; each
 * one's outcome goes to the console and, when SERVICE_LENS_E2E_RESULT names a file, into that JSON
 * file. `run()` rejects when a check failed, which makes VS Code report a failed test run.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { RESULT_FILE_VARIABLE, describeSuiteResult, type CheckResult, type SuiteResult } from '../protocol';
import { checkDiagnostics, checkHelmTemplate, checkLiveEdit } from './diagnostics';
import { checkRuleDoc } from './ruleDocs';
import { checkNearestMissHover, checkServiceHover, checkTemplateHover } from './hovers';
import { checkTrafficPreviewCommand, contributesTrafficPreview } from './trafficPreview';
import { checkWalkthrough } from './walkthrough';

const EXTENSION_ID = 'service-lens.service-lens';
/** The first analysis includes starting the extension host's language server on a busy machine. */
const FIRST_RESULTS_TIMEOUT_MS = 120_000;
const TIMEOUT_MS = 30_000;

class Skip {
  constructor(readonly reason: string) {}
}

interface Check {
  readonly name: string;
  /** A short description of what was seen, or a Skip. */
  readonly run: () => Promise<string | Skip>;
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  if (!found) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return found;
}

const CHECKS: readonly Check[] = [
  {
    name: 'the extension activates and registers its commands',
    run: async () => {
      await extension().activate();
      const commands = await vscode.commands.getCommands(true);
      const missing = ['serviceLens.restartServer', 'serviceLens.showOutput', 'serviceLens.showRuleDoc'].filter((command) => !commands.includes(command));
      if (missing.length > 0) throw new Error(`commands not registered: ${missing.join(', ')}`);
      return `active (version ${String((extension().packageJSON as { version?: unknown }).version)})`;
    },
  },
  { name: 'diagnostics are exactly those of EXPECTED.md', run: () => checkDiagnostics(FIRST_RESULTS_TIMEOUT_MS) },
  { name: 'a Helm template line shows the finding of its rendered Service', run: () => checkHelmTemplate(TIMEOUT_MS) },
  { name: "a diagnostic's rule link opens the rule's bundled page", run: () => checkRuleDoc(extension(), TIMEOUT_MS) },
  { name: 'hover on a Service lists its Pod templates, ports and DNS name', run: checkServiceHover },
  { name: 'hover on Pod template labels lists the Services selecting it', run: checkTemplateHover },
  { name: 'hover on a missing selector pair names the nearest miss', run: checkNearestMissHover },
  { name: 'an unsaved edit updates the diagnostics', run: () => checkLiveEdit(TIMEOUT_MS) },
  { name: 'the walkthrough ships its media and links to existing commands', run: () => checkWalkthrough(extension()) },
  {
    name: 'the traffic preview command opens its panel',
    run: () =>
      contributesTrafficPreview(extension())
        ? checkTrafficPreviewCommand(TIMEOUT_MS)
        : Promise.resolve(new Skip('the extension does not contribute the traffic preview command')),
  },
];

export async function run(): Promise<void> {
  const checks: CheckResult[] = [];
  for (const check of CHECKS) {
    const started = Date.now();
    let result: CheckResult;
    try {
      const outcome = await check.run();
      const milliseconds = Date.now() - started;
      result =
        outcome instanceof Skip
          ? { name: check.name, outcome: 'skipped', milliseconds, detail: outcome.reason }
          : { name: check.name, outcome: 'passed', milliseconds, detail: outcome };
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      result = { name: check.name, outcome: 'failed', milliseconds: Date.now() - started, detail };
    }
    checks.push(result);
    console.log(`[service-lens e2e] ${result.outcome}: ${result.name}${result.detail ? ` — ${result.detail}` : ''}`);
  }
  const result: SuiteResult = { vscodeVersion: vscode.version, checks, passed: checks.every((check) => check.outcome !== 'failed') };
  const file = process.env[RESULT_FILE_VARIABLE];
  if (file) writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  if (!result.passed) throw new Error(`Service Lens end-to-end checks failed:\n${describeSuiteResult(result)}`);
}
