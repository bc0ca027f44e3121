/**
 * playwright-core, loaded at run time from tools/playwright (installed on demand by the test
 * setup, never a dependency of the extension). Only the part of its API the workbench tests use is
 * typed here, so the project typechecks before that install exists.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/paths';

export interface WaitOptions {
  readonly timeout?: number;
}

export interface Locator {
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  locator(selector: string): Locator;
  filter(options: { readonly hasText?: string | RegExp; readonly has?: Locator }): Locator;
  waitFor(options?: WaitOptions & { readonly state?: 'attached' | 'detached' | 'visible' | 'hidden' }): Promise<void>;
  count(): Promise<number>;
  innerText(options?: WaitOptions): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  getAttribute(name: string, options?: WaitOptions): Promise<string | null>;
  boundingBox(options?: WaitOptions): Promise<{ x: number; y: number; width: number; height: number } | null>;
  isVisible(): Promise<boolean>;
  click(options?: WaitOptions): Promise<void>;
  fill(value: string, options?: WaitOptions): Promise<void>;
  screenshot(options: { readonly path: string } & WaitOptions): Promise<unknown>;
  evaluate<Result>(fn: (element: Element) => Result): Promise<Result>;
}

export interface FrameLocator {
  frameLocator(selector: string): FrameLocator;
  locator(selector: string): Locator;
}

export interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Page {
  goto(url: string, options?: WaitOptions & { readonly waitUntil?: 'load' | 'domcontentloaded' | 'commit' }): Promise<unknown>;
  locator(selector: string): Locator;
  frameLocator(selector: string): FrameLocator;
  readonly keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  readonly mouse: { move(x: number, y: number, options?: { readonly steps?: number }): Promise<void> };
  screenshot(options: { readonly path: string; readonly fullPage?: boolean; readonly animations?: 'disabled' | 'allow' }): Promise<unknown>;
  exposeFunction(name: string, callback: (...args: never[]) => unknown): Promise<void>;
  waitForFunction<Argument>(
    predicate: (argument: Argument) => unknown,
    argument: Argument,
    options?: WaitOptions & { readonly polling?: number | 'raf' },
  ): Promise<unknown>;
  on(event: 'console', listener: (message: ConsoleMessage) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  setViewportSize(size: { readonly width: number; readonly height: number }): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

interface PlaywrightCore {
  readonly chromium: {
    launchPersistentContext(
      userDataDir: string,
      options: {
        readonly executablePath: string;
        readonly headless: boolean;
        readonly args: readonly string[];
        readonly env: Readonly<Record<string, string | undefined>>;
        readonly viewport: { readonly width: number; readonly height: number };
        readonly timeout?: number;
      },
    ): Promise<BrowserContext>;
  };
}

export const PLAYWRIGHT_FOLDER = path.join(REPO_ROOT, 'tools', 'playwright');
const PLAYWRIGHT_PACKAGE = path.join(PLAYWRIGHT_FOLDER, 'node_modules', 'playwright-core');

export function playwrightInstalled(): boolean {
  return existsSync(path.join(PLAYWRIGHT_PACKAGE, 'package.json'));
}

export function loadPlaywright(): PlaywrightCore {
  if (!playwrightInstalled()) {
    throw new Error(`playwright-core is not installed in ${PLAYWRIGHT_FOLDER}: run \`npm run setup\` (the test setup installs it).`);
  }
  return createRequire(__filename)(PLAYWRIGHT_PACKAGE) as PlaywrightCore;
}

/** Debian's Chromium, installed by the test setup. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launches headless Chromium with a fresh profile in `profile`, as the workbench tests need it. */
export async function launchChromium(profile: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (\`npm run setup\` does as root).`);
  return loadPlaywright().chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // Chromium keeps its own caches under HOME: keep them in the profile.
    env: { ...process.env, HOME: profile },
    viewport,
    timeout: 60_000,
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
}
