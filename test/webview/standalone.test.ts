/**
 * The traffic preview as a standalone page (what `service-lens preview --out` writes): script,
 * style and data inlined under one nonce, opened over file:// in real headless Chromium.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNonce, renderPreviewPage } from '../../client/webview/page';
import type { HostMessage } from '../../server/src/protocol/traffic';
import { Browser, webviewAssets, type Watched } from './browser';
import { HOSTILE, HOSTILE_LABEL, HOSTILE_NAME, link, PREVIEW, web } from './fixtures/previews';

describe('traffic preview as a standalone page (Chromium)', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: (message: HostMessage) => string;

  before(async () => {
    const assets = webviewAssets();
    browser = await Browser.launch();
    page = (message) =>
      renderPreviewPage({
        kind: 'standalone',
        script: assets.script,
        style: assets.style,
        nonce: createNonce(),
        message,
        sourceRoot: 'file:///workspace/',
        title: 'Traffic preview',
      });
  });

  after(async () => {
    await browser?.close();
  });

  async function open(message: HostMessage): Promise<Watched> {
    const watched = await browser.open(page(message));
    await watched.page.locator('main').waitFor();
    return watched;
  }

  test('renders the embedded preview without a scope switcher, in light and dark (screenshots)', async () => {
    const watched = await open({ type: 'preview', preview: PREVIEW });
    const { page: browserPage } = watched;
    await watched.waitForEdges(PREVIEW.services.flatMap((service) => service.ports).reduce((sum, port) => sum + port.edges.length, 0));
    assert.equal(await browserPage.locator('section.service').count(), PREVIEW.services.length);
    assert.equal(await browserPage.locator('fieldset.scope').count(), 0);
    assert.deepEqual(
      await browserPage.locator('nav.contents a').allTextContents(),
      PREVIEW.services.map((service) => `${service.namespace}/${service.name}`),
    );

    const colours = async () =>
      browserPage.evaluate(() => {
        // The error colour variable resolved to a colour, by a probe that uses it.
        const probe = document.body.appendChild(document.createElement('span'));
        probe.style.setProperty('color', 'var(--sl-error)');
        const error = getComputedStyle(probe).color;
        probe.remove();
        const broken = document.querySelector('.hop.broken')!;
        return {
          background: getComputedStyle(document.body).backgroundColor,
          error,
          brokenBorder: getComputedStyle(broken).borderTopColor,
          brokenReason: getComputedStyle(broken.querySelector('.hop-broken')!).color,
          brokenEdge: getComputedStyle(document.querySelector('g.edge.broken path.edge-line')!).stroke,
        };
      });

    await browserPage.emulateMedia({ colorScheme: 'light' });
    const light = await colours();
    assert.equal(light.background, 'rgb(255, 255, 255)');
    assert.equal(light.brokenBorder, light.error);
    assert.equal(light.brokenReason, light.error);
    assert.equal(light.brokenEdge, light.error);
    await watched.screenshot('standalone-light');

    await browserPage.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours();
    assert.equal(dark.background, 'rgb(13, 17, 23)');
    assert.notEqual(dark.error, light.error);
    assert.equal(dark.brokenBorder, dark.error);
    assert.equal(dark.brokenEdge, dark.error);
    await watched.screenshot('standalone-dark');

    await browserPage.emulateMedia({ colorScheme: 'light', contrast: 'more' });
    const hopBorder = await browserPage.locator('.hop:not(.broken)').first().evaluate((element) => getComputedStyle(element).borderTopColor);
    const foreground = await browserPage.evaluate(() => getComputedStyle(document.body).color);
    assert.equal(hopBorder, foreground, 'more contrast: borders in the text colour');
    await watched.screenshot('standalone-more-contrast');
    await watched.assertClean();
    await browserPage.close();
  });

  test('a hop shows a link to its file and line, since there is no editor to reveal it in', async () => {
    const watched = await open({ type: 'preview', preview: PREVIEW });
    const { page: browserPage } = watched;
    await browserPage.locator('.graph').first().locator('[data-hop="pod-web"]').click();
    const status = browserPage.locator('.status');
    const fileLink = status.locator('a.file');
    await fileLink.waitFor();
    const location = link('web.yaml', 24, 16);
    assert.equal(await fileLink.getAttribute('href'), `${location.uri}#L25`);
    assert.equal(await fileLink.textContent(), 'shop/web.yaml:25');
    assert.equal(await status.textContent(), 'Pods Deployment/web: shop/web.yaml:25');
    assert.equal(await status.getAttribute('role'), 'status');

    await browserPage.locator('section.service').first().locator('button.service-name').press('Enter');
    await browserPage.waitForFunction((expected) => document.querySelector('.status a.file')?.textContent === expected, `shop/web.yaml:${web.location.line + 1}`);
    await watched.assertClean();
    await browserPage.close();
  });

  test('a location that is not a file: URL is shown as text, never as a link', async () => {
    const service = { ...web, location: { uri: 'javascript:alert(1)', line: 0, character: 0 } };
    const watched = await open({ type: 'preview', preview: { ...PREVIEW, services: [service] } });
    const { page: browserPage } = watched;
    await browserPage.locator('button.service-name').click();
    await browserPage.locator('.status span.file').waitFor();
    assert.equal(await browserPage.locator('.status a').count(), 0);
    assert.equal(await browserPage.locator('.status').textContent(), 'Service web: javascript:alert(1):1');
    await watched.assertClean();
    await browserPage.close();
  });

  test('an empty message shows its reason', async () => {
    const watched = await open({ type: 'empty', reason: 'No Service in examples.' });
    assert.equal(await watched.page.locator('p.empty').textContent(), 'No Service in examples.');
    await watched.assertClean();
    await watched.page.close();
  });

  test('hostile strings in the embedded data stay text and run nothing', async () => {
    const watched = await open({ type: 'preview', preview: HOSTILE });
    const { page: browserPage } = watched;
    await watched.waitForEdges(HOSTILE.services[0]!.ports[0]!.edges.length);
    assert.equal(await browserPage.locator('h1').textContent(), `Services of ${HOSTILE_LABEL}`);
    assert.equal(await browserPage.locator('section.service h2').textContent(), `Service ${HOSTILE_NAME}`);
    const labels = await browserPage.locator('.hop-label').allTextContents();
    assert.ok(labels.every((label) => label.endsWith(HOSTILE_LABEL)), labels.join('\n'));
    const counts = await browserPage.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      scripts: document.scripts.length,
      frames: document.querySelectorAll('iframe').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((element) => Array.from(element.attributes).some((attribute) => attribute.name.startsWith('on'))).length,
    }));
    assert.deepEqual(counts, { images: 0, scripts: 2, frames: 0, handlers: 0 });
    await browserPage.locator('details.env summary').click();
    assert.equal(await browserPage.locator('details.env table.variables td code').nth(1).textContent(), HOSTILE_LABEL);
    await watched.assertClean();
    await browserPage.close();
  });
});
