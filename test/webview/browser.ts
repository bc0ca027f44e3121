/**
 * Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, which lives in
 * tools/playwright with its own lockfile (installed by scripts/setup/parts/21-playwright.mjs, never
 * a dependency of the extension). Pages are loaded from temporary files over file://, the way a
 * standalone preview is opened, and every page records its errors, dialogs, console errors and
 * content-security-policy violations so a test can assert that nothing ran that should not have.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
// Brings the page's entry point (and so every browser module) into the root type check, whose
// `include` does not list client/webview; client/webview/tsconfig.json checks it without Node types.
import type {} from '../../client/webview/main';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DIST = path.join(REPO_ROOT, 'dist');
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'webview');
const PLAYWRIGHT = path.join(REPO_ROOT, 'tools', 'playwright', 'node_modules', 'playwright-core');
const CHROMIUM = '/usr/bin/chromium';

// The slice of the playwright-core API these tests use, declared here so that type checking does
// not depend on the optional tools/playwright install.
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Locator {
  click(): Promise<void>;
  focus(): Promise<void>;
  press(key: string): Promise<void>;
  count(): Promise<number>;
  textContent(): Promise<string | null>;
  allTextContents(): Promise<string[]>;
  getAttribute(name: string): Promise<string | null>;
  boundingBox(): Promise<Box | null>;
  first(): Locator;
  nth(index: number): Locator;
  locator(selector: string): Locator;
  waitFor(options?: { state?: 'attached' | 'visible'; timeout?: number }): Promise<void>;
  evaluate<R>(fn: (element: Element) => R): Promise<R>;
  evaluateAll<R>(fn: (elements: Element[]) => R): Promise<R>;
}

interface Dialog {
  type(): string;
  message(): string;
  dismiss(): Promise<void>;
}

interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Page {
  goto(url: string): Promise<unknown>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'dialog', listener: (dialog: Dialog) => void): void;
  on(event: 'console', listener: (message: ConsoleMessage) => void): void;
  addInitScript(script: { content: string }): Promise<void>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  evaluate<R, A>(fn: (argument: A) => R | Promise<R>, argument: A): Promise<R>;
  waitForFunction<A>(fn: (argument: A) => unknown, argument: A, options?: { timeout?: number }): Promise<unknown>;
  locator(selector: string): Locator;
  keyboard: { press(key: string): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  emulateMedia(options: { colorScheme?: 'light' | 'dark'; contrast?: 'more' | 'no-preference' }): Promise<void>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  reload(): Promise<unknown>;
  close(): Promise<void>;
}

interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface PlaywrightCore {
  chromium: {
    launchPersistentContext(
      profile: string,
      options: { executablePath: string; headless: boolean; env: NodeJS.ProcessEnv; args: string[]; viewport?: { width: number; height: number } },
    ): Promise<BrowserContext>;
  };
}

function loadPlaywright(): PlaywrightCore {
  if (!fs.existsSync(path.join(PLAYWRIGHT, 'package.json'))) {
    throw new Error(
      `playwright-core is not installed at ${PLAYWRIGHT}. Run "node scripts/setup/index.mjs 21-playwright" ` +
        '(or "npm run setup"), which runs npm ci in tools/playwright.',
    );
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing. Run "node scripts/setup/index.mjs 20-chromium" as root, or apt-get install chromium.`);
  }
  return createRequire(__filename)(PLAYWRIGHT) as PlaywrightCore;
}

/** One Chromium with a fresh profile in a temporary folder; `close` removes both. */
export class Browser {
  private constructor(
    private readonly context: BrowserContext,
    private readonly folder: string,
  ) {}

  static async launch(): Promise<Browser> {
    const playwright = loadPlaywright();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-webview-'));
    const profile = path.join(folder, 'profile');
    fs.mkdirSync(profile);
    const context = await playwright.chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      env: { ...process.env, HOME: profile },
      viewport: { width: 1200, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return new Browser(context, folder);
  }

  /** Writes `html` to a file and opens it; with `vscode`, the page gets a stub `acquireVsCodeApi`. */
  async open(html: string, options: { vscode?: { state?: unknown } } = {}): Promise<Watched> {
    const file = path.join(fs.mkdtempSync(path.join(this.folder, 'page-')), 'preview.html');
    fs.writeFileSync(file, html);
    return this.openFile(file, options);
  }

  async openFile(file: string, options: { vscode?: { state?: unknown } } = {}): Promise<Watched> {
    const page = await this.context.newPage();
    const watched = new Watched(page);
    await page.addInitScript({ content: RECORD_VIOLATIONS });
    if (options.vscode !== undefined) await page.addInitScript({ content: vscodeStub(options.vscode.state) });
    await page.goto(pathToFileURL(file).href);
    return watched;
  }

  async close(): Promise<void> {
    await this.context.close();
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}

/** A page and what happened on it that should not have. */
export class Watched {
  readonly errors: string[] = [];
  readonly dialogs: string[] = [];
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
  }

  /** `securitypolicyviolation` events since the page started loading. */
  violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as { serviceLensViolations: string[] }).serviceLensViolations);
  }

  /** Messages the page posted through the stub VS Code API (`{type: 'ready'}` and so on). */
  posted(): Promise<Record<string, unknown>[]> {
    return this.page.evaluate(() => (globalThis as unknown as { serviceLensPosted: Record<string, unknown>[] }).serviceLensPosted);
  }

  state(): Promise<unknown> {
    return this.page.evaluate(() => (globalThis as unknown as { serviceLensState: () => unknown }).serviceLensState());
  }

  /** Sends a message the way the extension does (it arrives as a window `message` event). */
  async send(message: unknown): Promise<void> {
    await this.page.evaluate((data) => window.postMessage(data, '*'), message);
  }

  /** Waits until `count` arrows are drawn (they are drawn once the boxes have been laid out). */
  async waitForEdges(count: number): Promise<void> {
    await this.page.waitForFunction((expected) => document.querySelectorAll('svg.edges .edge').length === expected, count, { timeout: 10_000 });
  }

  /** Nothing ran that should not have, nothing was blocked, nothing failed. */
  async assertClean(): Promise<void> {
    assert.deepEqual(this.errors, [], 'page errors');
    assert.deepEqual(this.dialogs, [], 'dialogs opened');
    assert.deepEqual(await this.violations(), [], 'content security policy violations');
    assert.deepEqual(this.consoleErrors, [], 'console errors');
  }

  /** Saves test-artifacts/webview/<name>.png (the viewport) and <name>-full.png (the whole page). */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    await this.page.screenshot({ path: path.join(ARTIFACTS, `${name}-full.png`), fullPage: true });
    return file;
  }
}

const RECORD_VIOLATIONS = `
  globalThis.serviceLensViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    globalThis.serviceLensViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
`;

function vscodeStub(state: unknown): string {
  return `
    (() => {
      const posted = [];
      let state = ${JSON.stringify(state ?? null)} ?? undefined;
      let acquired = false;
      globalThis.serviceLensPosted = posted;
      globalThis.serviceLensState = () => state;
      globalThis.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
          postMessage: (message) => posted.push(JSON.parse(JSON.stringify(message))),
          getState: () => state,
          setState: (next) => { state = JSON.parse(JSON.stringify(next)); },
        };
      };
    })();
  `;
}

/** The built page assets; `npm test` builds first. */
export function webviewAssets(): { script: string; style: string; scriptPath: string; stylePath: string } {
  const scriptPath = path.join(DIST, 'webview.js');
  const stylePath = path.join(DIST, 'webview.css');
  assert.ok(fs.existsSync(scriptPath) && fs.existsSync(stylePath), `${scriptPath} or ${stylePath} is missing; run "npm run build" first`);
  return { script: fs.readFileSync(scriptPath, 'utf8'), style: fs.readFileSync(stylePath, 'utf8'), scriptPath, stylePath };
}
