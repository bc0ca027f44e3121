/**
 * Runs the in-extension-host suite (dist/e2e-suite.js) in a desktop VS Code through
 * `@vscode/test-electron`, on a fresh copy of examples/ with fresh user data and extensions folders.
 *
 *   VSCODE_EXECUTABLE=/path/to/code npm run e2e     a VS Code binary you have
 *   npm run e2e -- --download                       downloads VS Code (VSCODE_VERSION, default 1.100.3)
 *
 * Without either, it prints why it cannot run and exits 0: no VS Code binary can be installed from
 * a package registry, so machines that reach only registries (CI here) use the code-server runner
 * (test/e2e/codeServer.test.ts, part of `npm test`) instead. On Linux without a display, wrap it in
 * `xvfb-run -a`.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from '../support/paths';
import { RESULT_FILE_VARIABLE, describeSuiteResult, helmWorkspaceSettings, parseSuiteResult } from './protocol';
import { helmBinary } from '../support/helm';

const DEFAULT_VERSION = '1.100.3';

async function main(): Promise<number> {
  const executable = process.env['VSCODE_EXECUTABLE'];
  const download = process.argv.includes('--download');
  if (!executable && !download) {
    console.log(
      'e2e (desktop VS Code): not available here: no VS Code binary. Set VSCODE_EXECUTABLE to one, or pass ' +
        '--download to fetch VS Code; skipped. `npm test` runs the same suite in code-server instead.',
    );
    return 0;
  }
  if (executable && !existsSync(executable)) {
    console.error(`VSCODE_EXECUTABLE=${executable} does not exist.`);
    return 1;
  }
  const suite = path.join(REPO_ROOT, 'dist', 'e2e-suite.js');
  if (!existsSync(suite)) {
    console.error(`${suite} is missing: run \`npm run build\` first.`);
    return 1;
  }
  const work = mkdtempSync(path.join(tmpdir(), 'sl-electron-'));
  try {
    const workspace = path.join(work, 'examples');
    cpSync(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
    mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), `${JSON.stringify(helmWorkspaceSettings(helmBinary()), null, 2)}\n`);
    const resultFile = path.join(work, 'result.json');
    let code: number;
    try {
      code = await runTests({
        ...(executable ? { vscodeExecutablePath: executable } : { version: process.env['VSCODE_VERSION'] ?? DEFAULT_VERSION }),
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: suite,
        extensionTestsEnv: { [RESULT_FILE_VARIABLE]: resultFile },
        launchArgs: [
          workspace,
          '--user-data-dir',
          path.join(work, 'user-data'),
          '--extensions-dir',
          path.join(work, 'extensions'),
          '--disable-extensions',
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
        ],
      });
    } catch (error) {
      console.error(`VS Code reported a failed run: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    }
    if (existsSync(resultFile)) {
      const result = parseSuiteResult(readFileSync(resultFile, 'utf8'));
      console.log(`in-extension-host suite (VS Code ${result.vscodeVersion}):\n${describeSuiteResult(result)}`);
      if (!result.passed) code = code || 1;
    } else {
      console.error(`The suite wrote no result (${resultFile}).`);
      code = code || 1;
    }
    return code;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
