/**
 * The packaged extension in a real VS Code workbench: code-server 4.100.3 (VS Code 1.100) from
 * tools/code-server, Debian's Chromium driven by playwright-core from tools/playwright.
 *
 * 1. `npm run package` builds the .vsix (in a copy of the repository); code-server installs it
 *    into a fresh extensions folder.
 * 2. A first window runs the in-extension-host suite (dist/e2e-suite.js) through the
 *    `extensionTestsPath` URL payload; its outcome comes back through `codeAutomationExit` and the
 *    JSON result file it writes.
 * 3. A second window, on another copy of examples/, is used like a person would: the status bar,
 *    the Problems view, a hover under the mouse, the traffic preview panel. Screenshots go to
 *    test-artifacts/e2e/.
 *
 * Needs what `npm run setup` installs (`npm test` runs it first).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';
import { countSeverities, findingKey, parseExpectedFindings, type ExpectedFinding, type ExpectedSeverity } from './expected';
import { StateFolders, installExtension, startCodeServer, type RunningCodeServer } from './harness/codeServer';
import { launchChromium, type BrowserContext, type Page } from './harness/playwright';
import { packageExtension, type PackagedExtension } from './harness/vsix';
import { Workbench, escapeRegExp } from './harness/workbench';
import { RESULT_FILE_VARIABLE, TRAFFIC_PREVIEW_COMMAND, describeSuiteResult, helmWorkspaceSettings, parseSuiteResult } from './protocol';
import { helmBinary } from '../support/helm';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
const EXAMPLES = path.join(REPO_ROOT, 'examples');
const VIEWPORT = { width: 1680, height: 1000 };
/** Generous: two cores, and other test files run beside this one. */
const STEP_TIMEOUT_MS = 60_000;
const SUITE_TIMEOUT_MS = 300_000;

interface Manifest {
  readonly contributes?: {
    readonly commands?: readonly { readonly command: string; readonly title: string; readonly category?: string }[];
    readonly walkthroughs?: readonly { readonly title: string; readonly steps: readonly { readonly title: string; readonly media: { readonly markdown: string } }[] }[];
  };
}

const expected: readonly ExpectedFinding[] = parseExpectedFindings(readFileSync(path.join(EXAMPLES, 'EXPECTED.md'), 'utf8'));
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const trafficPreview = manifest.contributes?.commands?.find((entry) => entry.command === TRAFFIC_PREVIEW_COMMAND);

describe('the packaged extension in a VS Code workbench (code-server + Chromium)', { timeout: 15 * 60_000 }, () => {
  let work = '';
  let packaged: PackagedExtension;
  let server: RunningCodeServer | undefined;
  let browser: BrowserContext | undefined;
  /** Console errors of the pages, shown when something fails. */
  const consoleErrors: string[] = [];

  /** A copy of examples/ named `examples`, so the workbench shows that name, with these workspace settings. */
  function copyExamples(name: string, settings: Record<string, unknown>): string {
    const folder = path.join(work, name, 'examples');
    cpSync(EXAMPLES, folder, { recursive: true });
    mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    writeFileSync(path.join(folder, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
    return folder;
  }

  async function newPage(): Promise<Page> {
    assert.ok(browser, 'Chromium is running');
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text().slice(0, 500));
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    return page;
  }

  function diagnosticsOnFailure(): string {
    return [`code-server output (tail):\n${server?.output().slice(-4000) ?? '(not started)'}`, `console errors:\n${consoleErrors.slice(-20).join('\n')}`].join('\n\n');
  }

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Short: code-server keeps unix sockets under the state folder's temp folder.
    work = mkdtempSync(path.join(tmpdir(), 'sl-e2e-'));
    packaged = packageExtension(work);
    const state = new StateFolders(path.join(work, 'state'));
    installExtension(state, packaged.vsix);
    server = await startCodeServer(state, { [RESULT_FILE_VARIABLE]: path.join(work, 'suite-result.json') }, STEP_TIMEOUT_MS);
    browser = await launchChromium(path.join(work, 'chromium'), VIEWPORT);
  });

  after(async () => {
    // Always stop what was started, by its handle and PID, even after a failure.
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs the in-extension-host suite against the installed .vsix', { timeout: SUITE_TIMEOUT_MS + STEP_TIMEOUT_MS }, async () => {
    assert.ok(server);
    const installed = path.join(work, 'state', 'extensions', `${packaged.id}-${packaged.version}`);
    assert.ok(existsSync(path.join(installed, 'package.json')), `the .vsix is installed at ${installed}`);
    const suite = path.join(packaged.sourceCopy, 'dist', 'e2e-suite.js');
    assert.ok(existsSync(suite), `${suite} is built`);
    const remote = (file: string): string => `vscode-remote://127.0.0.1:${server!.port}${file}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(installed)],
      ['extensionTestsPath', remote(suite)],
    ]);
    const page = await newPage();
    // VS Code reports the end of an extension test run to the page through this function.
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      reportExit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    // The suite's workspace renders the examples' charts (EXPECTED.md, "Findings with Helm rendering").
    const folder = copyExamples('suite', helmWorkspaceSettings(helmBinary()));
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`, {
      waitUntil: 'domcontentloaded',
      timeout: STEP_TIMEOUT_MS,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([
      exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`The suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s.\n${diagnosticsOnFailure()}`)), SUITE_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    await page.close();
    const resultFile = path.join(work, 'suite-result.json');
    assert.ok(existsSync(resultFile), `The suite exited with ${code} without writing ${resultFile}.\n${diagnosticsOnFailure()}`);
    const result = parseSuiteResult(readFileSync(resultFile, 'utf8'));
    const report = describeSuiteResult(result);
    console.log(`in-extension-host suite (VS Code ${result.vscodeVersion}):\n${report}`);
    assert.equal(result.passed, true, report);
    assert.equal(code, 0, `VS Code reported exit code ${code}:\n${report}`);
    assert.match(result.vscodeVersion, /^1\.100\./);
    const outcome = (name: RegExp): string | undefined => result.checks.find((check) => name.test(check.name))?.outcome;
    assert.equal(outcome(/^diagnostics/), 'passed');
    assert.equal(outcome(/^hover on a Service/), 'passed');
    assert.equal(outcome(/^the traffic preview/), trafficPreview ? 'passed' : 'skipped');
  });

  describe('used like a person would', () => {
    let workbench: Workbench;

    before(async () => {
      assert.ok(server);
      const page = await newPage();
      workbench = new Workbench(page, STEP_TIMEOUT_MS);
      // The main findings of EXPECTED.md only, whether or not a helm is on PATH.
      await workbench.load(`${server.origin}/?folder=${encodeURIComponent(copyExamples('person', { 'serviceLens.helm.enabled': false }))}`);
    });

    it('the status bar counts the findings of the workspace', async () => {
      const counts = countSeverities(expected);
      const label = `Service Lens: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.information} information`;
      const item = workbench.statusBarItem('Service Lens: ');
      await workbench.statusBarItem(label).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(async (error: unknown) => {
        throw new Error(`status bar: ${await item.getAttribute('aria-label').catch(() => '(none)')}\n${diagnosticsOnFailure()}`, { cause: error });
      });
    });

    it('Problems lists every finding with its rule, severity and position', async () => {
      await workbench.runCommand('View: Focus Problems', /Problems/);
      await workbench.runCommand('View: Toggle Maximized Panel');
      await workbench.waitForProblemRows(expected.length);
      const shown = await problemsShown(workbench);
      await screenshot(workbench, 'problems.png');
      assert.deepEqual(shown.map(findingKey).sort(), expected.map(findingKey).sort());
      await workbench.runCommand('View: Toggle Maximized Panel');
      await workbench.runCommand('View: Hide Panel');
    });

    it('hovering a Service name shows its Pod templates and DNS name', async () => {
      await workbench.openFile('shop/web.yaml:66:11', /web\.yaml\s*shop(?!-staging)/, 'web.yaml');
      const hover = await workbench.hoverWord('  name: numbers-web-node', 'numbers-web-node', 'numbers-web-node.shop.svc.cluster.local');
      const text = await hover.innerText();
      await screenshot(workbench, 'hover.png');
      for (const part of ['Service/numbers-web-node', 'Deployment/numbers-web', 'Pod/numbers-web-canary', 'web:8080/TCP']) {
        assert.ok(text.includes(part), `the hover shows ${part}:\n${text}`);
      }
    });

    it('the traffic preview shows where the Service sends traffic', async () => {
      assert.ok(trafficPreview, 'the extension contributes the traffic preview command');
      // Room for the editor and the panel beside it.
      await workbench.runCommand('View: Close Primary Side Bar');
      await workbench.editorLine('  name: numbers-web-node').click();
      await workbench.runCommand(`${trafficPreview.category ? `${trafficPreview.category}: ` : ''}${trafficPreview.title}`);
      // Off the editor toolbar the palette's row lay over: no tooltip in the picture.
      await workbench.page.mouse.move(VIEWPORT.width * 0.75, VIEWPORT.height - 120);
      const view = workbench.webview(packaged.id);
      const body = view.locator('body');
      await body.filter({ hasText: 'numbers-web-node.shop.svc.cluster.local' }).waitFor({ timeout: STEP_TIMEOUT_MS });
      const text = await body.innerText();
      await screenshot(workbench, 'traffic-preview.png');
      // The Service under the cursor: its DNS name, node port and both Pod templates it reaches.
      for (const part of ['Service numbers-web-node', 'Deployment/numbers-web', 'Pod/numbers-web-canary', '30080']) {
        assert.ok(text.includes(part), `the traffic preview shows ${part}:\n${text}`);
      }
      // A wider window: the panel shows the whole path, from the client to both Pod templates.
      await workbench.page.setViewportSize({ width: 2400, height: VIEWPORT.height });
      const lastHop = view.locator('.hop').last();
      await lastHop.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await screenshot(workbench, 'traffic-preview-wide.png');
      await workbench.page.setViewportSize(VIEWPORT);
    });

    it('the walkthrough presents its steps with their media', async () => {
      const walkthrough = manifest.contributes?.walkthroughs?.[0];
      assert.ok(walkthrough, 'the extension contributes a walkthrough');
      await workbench.runCommand('View: Close All Editor Groups');
      await workbench.runCommand('Welcome: Open Walkthrough...', /Open Walkthrough/, new RegExp(escapeRegExp(walkthrough.title)));
      const steps = workbench.page.locator('.gettingStartedContainer .getting-started-step');
      await steps.first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const texts = (await steps.allInnerTexts()).join('\n');
      for (const step of walkthrough.steps) assert.ok(texts.includes(step.title), `the walkthrough shows the step "${step.title}":\n${texts}`);
      // The selected (first) step's Markdown media, rendered in the walkthrough's own webview.
      const heading = /^# (.+)$/m.exec(readFileSync(path.join(REPO_ROOT, walkthrough.steps[0]!.media.markdown), 'utf8'))?.[1];
      assert.ok(heading, 'the first step has Markdown media with a heading');
      const media = workbench.page.frameLocator('iframe.webview.ready[src*="extensionId=&"]').frameLocator('iframe#active-frame');
      await media.locator('body').filter({ hasText: heading }).waitFor({ timeout: STEP_TIMEOUT_MS });
      await screenshot(workbench, 'walkthrough.png');
    });
  });

  describe('writing manifests: navigation, completion, quick fixes, rename, code lenses, the Outline, a narrow preview', () => {
    let workbench: Workbench;
    let folder = '';
    const examples = (file: string): string => readFileSync(path.join(EXAMPLES, file), 'utf8');

    before(async () => {
      assert.ok(server);
      const page = await newPage();
      workbench = new Workbench(page, STEP_TIMEOUT_MS);
      folder = copyExamples('author', { 'serviceLens.helm.enabled': false });
      // One more Service of the web template, in a file of its own: a rename crosses files. It
      // matches and resolves its port, so the findings stay those of EXPECTED.md.
      writeFileSync(path.join(folder, SECOND_WEB_SERVICE.file), SECOND_WEB_SERVICE.text);
      await workbench.load(`${server.origin}/?folder=${encodeURIComponent(folder)}`);
      // The workspace is analysed once the status bar counts its findings.
      const counts = countSeverities(expected);
      await workbench.statusBarItem(`Service Lens: ${counts.errors} errors, ${counts.warnings} warnings`).waitFor({ timeout: STEP_TIMEOUT_MS });
      await workbench.runCommand('View: Close Primary Side Bar');
    });

    it('F12 on a selector value peeks at the labels of both Pod templates it selects', async () => {
      const at = positionIn(examples('shop/web.yaml'), '    app: numbers-web', 'name: numbers-web-node', 'numbers-web');
      await workbench.openFile(`shop/web.yaml:${at.line}:${at.column + 2}`, /web\.yaml\s*shop(?!-staging)/, 'web.yaml');
      const peek = await workbench.pressUntilPeek('F12');
      await workbench.peekRows().nth(1).waitFor({ timeout: STEP_TIMEOUT_MS });
      const rows = await workbench.peekRows().allInnerTexts();
      await screenshot(workbench, 'definition.png');
      // The Deployment's template label and the canary Pod's label, both in this file.
      assert.deepEqual(rows, ['app: numbers-web', 'app: numbers-web'], `definition rows: ${JSON.stringify(rows)}`);
      assert.match(await peek.innerText(), /web\.yaml/);
      await workbench.page.keyboard.press('Escape');
      await peek.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    });

    it('Shift+F12 on a template label peeks at the selectors that use it', async () => {
      const at = positionIn(examples('shop/web.yaml'), '        app: numbers-web', 'labels:\n        app', 'numbers-web');
      await workbench.openFile(`shop/web.yaml:${at.line}:${at.column + 2}`, /web\.yaml\s*shop(?!-staging)/, 'web.yaml');
      const peek = await workbench.pressUntilPeek('Shift+F12');
      await workbench.peekRows().nth(1).waitFor({ timeout: STEP_TIMEOUT_MS });
      const text = await peek.innerText();
      await screenshot(workbench, 'references.png');
      assert.match(text, /References \(\d+\)/, text);
      const rows = await workbench.peekRows().allInnerTexts();
      assert.ok(rows.filter((row) => row.includes('app: numbers-web')).length >= 3, `the three Services' selectors: ${JSON.stringify(rows)}`);
      await workbench.page.keyboard.press('Escape');
      await peek.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    });

    it("a code lens shows what a Service reaches; a click peeks at its Pod templates", async () => {
      await workbench.openFile('shop/web.yaml:66:9', /web\.yaml\s*shop(?!-staging)/, 'web.yaml');
      const lens = workbench.codeLens(/2 workloads · ports 8080 ✓/);
      await lens.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      const peek = await workbench.clickUntilPeek(lens);
      await workbench.peekRows().nth(1).waitFor({ timeout: STEP_TIMEOUT_MS });
      await screenshot(workbench, 'code-lens.png');
      // The labels of the Deployment's template and of the canary Pod.
      assert.deepEqual(await workbench.peekRows().allInnerTexts(), ['labels:', 'labels:']);
      await workbench.page.keyboard.press('Escape');
      await peek.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
    });

    it('the Outline lists each object of the file, Service ports as children', async () => {
      await workbench.runCommand('Explorer: Focus on Outline View', /Outline/);
      const rows = workbench.page.locator('.outline-element');
      await rows.filter({ hasText: /Service numbers-web-node/ }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      const texts = await rows.allInnerTexts();
      await screenshot(workbench, 'outline.png');
      for (const name of ['Deployment numbers-web', 'Pod numbers-web-canary', 'Service numbers-web', 'Service numbers-web-node']) {
        assert.ok(texts.some((text) => text.includes(name)), `the Outline lists ${name}: ${JSON.stringify(texts)}`);
      }
      await workbench.runCommand('View: Close Primary Side Bar');
    });

    it('the traffic preview fits a 600 px panel without scrolling sideways', async () => {
      assert.ok(trafficPreview, 'the extension contributes the traffic preview command');
      // Editor and panel side by side, each about 600 px wide.
      await workbench.page.setViewportSize({ width: 1260, height: VIEWPORT.height });
      await workbench.openFile('shop/web.yaml:66:9', /web\.yaml\s*shop(?!-staging)/, 'web.yaml');
      await workbench.runCommand(`${trafficPreview.category ? `${trafficPreview.category}: ` : ''}${trafficPreview.title}`);
      const view = workbench.webview(packaged.id);
      await view
        .locator('body')
        .filter({ hasText: 'numbers-web-node.shop.svc.cluster.local' })
        .waitFor({ timeout: STEP_TIMEOUT_MS })
        .catch(async (error: unknown) => {
          await screenshot(workbench, 'traffic-preview-600-failed.png');
          throw error;
        });
      await view.locator('svg.edges .edge').first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
      await workbench.page.mouse.move(10, VIEWPORT.height - 60);
      // The workbench lays the panel out again after the viewport change: wait until it has settled.
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      while (Date.now() < deadline && !(await view.locator('body').evaluate(() => document.documentElement.clientWidth <= 660))) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const measured = await view.locator('body').evaluate(() => ({
        width: document.documentElement.clientWidth,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        graphs: Array.from(document.querySelectorAll('.graph-scroll')).map((scroller) => scroller.scrollWidth - scroller.clientWidth),
        commands: Array.from(document.querySelectorAll('.port-forward .command')).map((command) => command.textContent),
      }));
      await screenshot(workbench, 'traffic-preview-600.png');
      assert.ok(measured.width >= 540 && measured.width <= 660, `the panel is about 600 px wide: ${measured.width}`);
      assert.equal(measured.overflow, 0, 'the page does not scroll sideways');
      assert.deepEqual(measured.graphs, measured.graphs.map(() => 0), 'no path scrolls sideways');
      assert.deepEqual(measured.commands, ['kubectl port-forward svc/numbers-web-node -n shop 8080:8080']);
      await workbench.page.setViewportSize(VIEWPORT);
      await workbench.runCommand('View: Close All Editor Groups');
    });
    it("Ctrl+Space in a selector value offers the namespace's template labels, not a selector's typo", async () => {
      const at = positionIn(examples('shop-staging/api.yaml'), '    app: numbers-api', 'selector:', 'numbers-api');
      await workbench.openFile(`shop-staging/api.yaml:${at.line}:${at.column}`, /api\.yaml\s*shop-staging/, 'api.yaml');
      const rows = await workbench.suggestions('numbers-web');
      await screenshot(workbench, 'completion.png');
      const labels = rows.map((row) => row.split('\n')[0]!.trim());
      // Template labels of shop-staging, in this file and in others.
      for (const value of ['numbers-api', 'numbers-web', 'numbers-queue', 'statsd']) assert.ok(labels.includes(value), `${value} is offered: ${JSON.stringify(rows)}`);
      // web.yaml's selector typo is no template label; numbers-db's template is in namespace shop.
      for (const value of ['numbres-web', 'numbers-db']) assert.ok(!labels.includes(value), `${value} is not offered: ${JSON.stringify(rows)}`);
      await workbench.page.keyboard.press('Escape');
      await workbench.page.locator('.suggest-widget.visible').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
      await workbench.runCommand('View: Close All Editor Groups');
    });

    it('Ctrl+. on a misspelt selector value applies the fix, and its Problem is gone', async () => {
      const counts = countSeverities(expected);
      await workbench.statusBarItem(`Service Lens: ${counts.errors} errors, ${counts.warnings} warnings`).waitFor({ timeout: STEP_TIMEOUT_MS });
      const at = positionIn(examples('shop-staging/web.yaml'), '    app: numbres-web', '', 'numbres-web');
      await workbench.openFile(`shop-staging/web.yaml:${at.line}:${at.column + 2}`, /web\.yaml\s*shop-staging/, 'web.yaml');
      await workbench.applyCodeAction(/Select app=numbers-web/);
      await workbench.editorLine('    app: numbers-web').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      const fixed = `Service Lens: ${counts.errors} errors, ${counts.warnings - 1} warnings, ${counts.information} information`;
      await workbench.statusBarItem(fixed).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(async (error: unknown) => {
        const label = await workbench.statusBarItem('Service Lens: ').getAttribute('aria-label').catch(() => '(none)');
        throw new Error(`after the fix the status bar reads ${label}, not ${fixed}`, { cause: error });
      });
      // Maximised, the Problems view renders every row (its list only renders the rows in view).
      await workbench.runCommand('View: Focus Problems', /Problems/);
      await workbench.runCommand('View: Toggle Maximized Panel');
      await workbench.waitForProblemRows(expected.length - 1);
      const shown = await problemsShown(workbench);
      await screenshot(workbench, 'quick-fix.png');
      assert.ok(!shown.some((finding) => finding.ruleId === 'service-selector-no-match'), `no selector finding left: ${JSON.stringify(shown)}`);
      assert.equal(shown.length, expected.length - 1);
      await workbench.runCommand('View: Toggle Maximized Panel');
      await workbench.runCommand('View: Hide Panel');
    });

    it('F2 on a template label value renames it in both files; the Problems stay those of the fixed workspace', async () => {
      const at = positionIn(examples('shop-staging/web.yaml'), '        app: numbers-web', 'labels:\n        app', 'numbers-web');
      await workbench.openFile(`shop-staging/web.yaml:${at.line}:${at.column + 2}`, /web\.yaml\s*shop-staging/, 'web.yaml');
      await workbench.rename('numbers-web-v2');
      await workbench.editorLine('        app: numbers-web-v2').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await workbench.runCommand('File: Save All');
      // On disk: the template label, the workload's matchLabels and the three Services' selectors
      // in web.yaml (the one fixed above included), and the selector in the other file.
      const renamed = (file: string): Promise<string> => waitForFile(path.join(folder, file), (text) => text.includes('app: numbers-web-v2'));
      const web = await renamed('shop-staging/web.yaml');
      const second = await renamed(SECOND_WEB_SERVICE.file);
      assert.equal(web.match(/app: numbers-web-v2\n/g)?.length, 5, web);
      assert.equal(second.match(/app: numbers-web-v2\n/g)?.length, 1, second);
      for (const text of [web, second]) assert.doesNotMatch(text, /app: numbers-web\n/);
      // Every Service still reaches the template: no finding more or less than after the fix.
      const counts = countSeverities(expected);
      const fixed = `Service Lens: ${counts.errors} errors, ${counts.warnings - 1} warnings, ${counts.information} information`;
      await workbench.statusBarItem(fixed).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(async (error: unknown) => {
        const label = await workbench.statusBarItem('Service Lens: ').getAttribute('aria-label').catch(() => '(none)');
        throw new Error(`after the rename the status bar reads ${label}, not ${fixed}`, { cause: error });
      });
      await workbench.runCommand('View: Focus Problems', /Problems/);
      await workbench.runCommand('View: Toggle Maximized Panel');
      await workbench.waitForProblemRows(expected.length - 1);
      const shown = await problemsShown(workbench);
      await screenshot(workbench, 'rename.png');
      const wanted = expected.filter((finding) => finding.ruleId !== 'service-selector-no-match');
      assert.deepEqual(shown.map(findingKey).sort(), wanted.map(findingKey).sort());
      await workbench.runCommand('View: Toggle Maximized Panel');
      await workbench.runCommand('View: Hide Panel');
    });
  });
});

/** A second Service in front of shop-staging's web template, written into the workspace copy. */
const SECOND_WEB_SERVICE = {
  file: 'shop-staging/web-metrics.yaml',
  text: [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: numbers-web-metrics',
    '  namespace: shop-staging',
    'spec:',
    '  selector:',
    '    app: numbers-web',
    '  ports:',
    '    - port: 8080',
    '      targetPort: http',
    '',
  ].join('\n'),
};

/** The text of `file` once `ready` accepts it; polls the disk for up to a step's time. */
async function waitForFile(file: string, ready: (text: string) => boolean): Promise<string> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const text = readFileSync(file, 'utf8');
    if (ready(text)) return text;
    if (Date.now() > deadline) throw new Error(`${path.basename(file)} was not saved as expected:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * 1-based line and column of `word` in the first line equal to `lineText` after `after` in
 * `text` (from the start when `after` is empty).
 */
function positionIn(text: string, lineText: string, after: string, word: string): { line: number; column: number } {
  const from = after === '' ? 0 : text.indexOf(after);
  assert.ok(from >= 0, `${JSON.stringify(after)} is in the file`);
  const offset = text.indexOf(`\n${lineText}\n`, from);
  assert.ok(offset >= 0, `${JSON.stringify(lineText)} follows ${JSON.stringify(after)}`);
  const line = text.slice(0, offset + 1).split('\n').length;
  return { line, column: lineText.indexOf(word) + 1 };
}

/** Saves what the workbench shows to test-artifacts/e2e/<name>, with fade-in animations finished. */
async function screenshot(workbench: Workbench, name: string): Promise<void> {
  await workbench.page.screenshot({ path: path.join(ARTIFACTS, name), animations: 'disabled' });
}

const SEVERITY_LABELS: Readonly<Record<string, ExpectedSeverity>> = { Error: 'error', Warning: 'warning', Info: 'information', Hint: 'hint' };

/**
 * The findings the Problems view shows, read from its rows: a file row (`4 problems in file
 * api.yaml of folder shop-staging`) heads the finding rows of that file (`Error: … at line 15 and
 * character 7. … generated by service-lens`, the rule id shown after the source); rows of related
 * information are skipped.
 */
async function problemsShown(workbench: Workbench): Promise<ExpectedFinding[]> {
  const rows = workbench.problemRows();
  const findings: ExpectedFinding[] = [];
  let file: string | undefined;
  for (let index = 0; index < (await rows.count()); index++) {
    const row = rows.nth(index);
    const label = (await row.getAttribute('aria-label')) ?? '';
    const fileRow = /^\d+ problems? in file (.+) of folder (.+)$/.exec(label);
    if (fileRow) {
      file = `${fileRow[2]}/${fileRow[1]}`;
      continue;
    }
    const findingRow = /^(Error|Warning|Info|Hint): .* at line (\d+) and character (\d+)\..* generated by service-lens$/s.exec(label);
    if (!findingRow) continue;
    const lines = (await row.innerText()).split('\n').map((line) => line.trim());
    const ruleId = lines[lines.indexOf('service-lens') + 1] ?? '(no rule id)';
    assert.ok(file, `a file row precedes ${label}`);
    findings.push({ file, line: Number(findingRow[2]), column: Number(findingRow[3]), ruleId, severity: SEVERITY_LABELS[findingRow[1]!]! });
  }
  return findings;
}
