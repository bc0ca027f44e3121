/**
 * A file several kustomize builds hold, in the traffic preview as the VS Code panel runs it (real
 * headless Chromium, a stub `acquireVsCodeApi`): the page offers the base as is and each overlay by
 * folder name; choosing one posts its id, and the preview the engine builds for that choice (as the
 * extension asks the server for it) shows that build's names, namespace and broken hop.
 * Data: examples/kustomize/quotes, analysed by the engine.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNonce, renderPreviewPage } from '../../client/webview/page';
import { mapLocations, type SourceLink, type TrafficPreview } from '../../server/src/protocol/traffic';
import { readTree, REPO_ROOT } from '../support/paths';
import { TestHost } from '../support/testHost';
import { Browser, webviewAssets, type Watched } from './browser';

const ROOT = 'file:///workspace/';
const SERVICE = `${ROOT}quotes/base/service.yaml`;

describe('traffic preview of a file several kustomize builds hold (Chromium)', { timeout: 120_000 }, () => {
  let browser: Browser;
  let html: () => string;
  const host = new TestHost();
  host.setFiles(readTree(join(REPO_ROOT, 'examples', 'kustomize')).map(([path, text]) => [`${ROOT}${path}`, text] as const));

  /** What the server answers for the Service of base/service.yaml in the build `overlay` (default: none chosen). */
  const preview = (overlay?: string): TrafficPreview<SourceLink> => {
    const built = host.trafficPreview({ scope: 'service', fileId: SERVICE, offset: 0, overlay });
    assert.ok(built);
    const plain = mapLocations(built, (location) => ({ uri: location.fileId, ...host.positionAt(location.fileId, location.span.start) }));
    return JSON.parse(JSON.stringify(plain)) as TrafficPreview<SourceLink>;
  };

  before(async () => {
    const assets = webviewAssets();
    browser = await Browser.launch();
    html = () =>
      renderPreviewPage({
        kind: 'webview',
        scriptUri: pathToFileURL(assets.scriptPath).href,
        styleUri: pathToFileURL(assets.stylePath).href,
        cspSource: 'file:',
        nonce: createNonce(),
      });
  });

  after(async () => {
    await browser?.close();
  });

  async function choose(watched: Watched, text: string): Promise<string> {
    const before = (await watched.posted()).length;
    const choices = watched.page.locator('fieldset.overlays label');
    const labels = await choices.allTextContents();
    const index = labels.indexOf(text);
    assert.ok(index >= 0, `${text} in ${labels.join(', ')}`);
    await choices.nth(index).click();
    await watched.page.waitForFunction((count) => (globalThis as unknown as { serviceLensPosted: unknown[] }).serviceLensPosted.length > count, before);
    const posted = (await watched.posted()).slice(before);
    assert.equal(posted.length, 1);
    assert.equal(posted[0]!['type'], 'overlay');
    return posted[0]!['overlay'] as string;
  }

  const heading = async (watched: Watched) => (await watched.page.locator('h1').textContent()) ?? '';
  const checked = async (watched: Watched) => watched.page.locator('fieldset.overlays input:checked').evaluate((input) => (input.parentElement?.textContent ?? '').trim());

  test('offers the base as is and each overlay; each choice shows that build', async () => {
    const watched = await browser.open(html(), { vscode: {} });
    const { page } = watched;
    await page.waitForFunction(() => (globalThis as unknown as { serviceLensPosted: unknown[] }).serviceLensPosted.length > 0, undefined);

    // The first overlay by default, as before the choice existed.
    await watched.send({ type: 'preview', preview: preview() });
    await page.locator('fieldset.overlays').waitFor();
    assert.deepEqual(await page.locator('fieldset.overlays label').allTextContents(), ['base as is', 'prod', 'staging']);
    assert.equal(await checked(watched), 'prod');
    assert.equal(await heading(watched), 'Service quotes-prod/prod-quotes');
    assert.ok(((await page.locator('main').textContent()) ?? '').includes('prod-quotes.quotes-prod.svc.cluster.local'));

    // Staging: no prefix, its own namespace, and its patch breaks the targetPort.
    const staging = await choose(watched, 'staging');
    assert.equal(staging, `${ROOT}quotes/overlays/staging/kustomization.yaml`);
    await watched.send({ type: 'preview', preview: preview(staging) });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Service quotes-staging/quotes', undefined);
    assert.equal(await checked(watched), 'staging');
    const stagingText = (await page.locator('main').textContent()) ?? '';
    assert.ok(stagingText.includes('quotes.quotes-staging.svc.cluster.local'));
    assert.ok(stagingText.includes('No TCP container port named http'), 'the broken hop of staging');
    assert.deepEqual(await page.locator('.hop.broken .hop-broken').allTextContents(), ['No TCP container port named http']);

    // The base as is: the names as written, in the default namespace, and the port resolves.
    const base = await choose(watched, 'base as is');
    assert.equal(base, `${ROOT}quotes/base/kustomization.yaml`);
    await watched.send({ type: 'preview', preview: preview(base) });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Service default/quotes', undefined);
    assert.equal(await checked(watched), 'base as is');
    const baseText = (await page.locator('main').textContent()) ?? '';
    assert.ok(baseText.includes('quotes.default.svc.cluster.local'));
    assert.ok(baseText.includes('container quotes :8080/TCP'));
    assert.equal(await page.locator('.hop.broken').count(), 0);

    await watched.assertClean();
    await page.close();
  });

  test('a file one build holds shows no choice', async () => {
    const watched = await browser.open(html(), { vscode: {} });
    await watched.page.waitForFunction(() => (globalThis as unknown as { serviceLensPosted: unknown[] }).serviceLensPosted.length > 0, undefined);
    // The engine leaves `overlays` out for a file one build holds (test/unit/trafficOverlays.test.ts).
    const withoutChoices: unknown = JSON.parse(JSON.stringify({ ...preview(), overlays: undefined }));
    await watched.send({ type: 'preview', preview: withoutChoices });
    await watched.page.locator('h1').waitFor();
    assert.equal(await watched.page.locator('fieldset.overlays').count(), 0);
    await watched.page.close();
  });
});
