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

  test('a right-to-left override in a Service name is shown as a marker and reorders nothing', async () => {
    const name = 'web\u202Eabc';
    const preview = { ...PREVIEW, services: [{ ...web, name, dns: { ...web.dns, fqdn: `${name}.shop.svc.cluster.local` } }] };
    const watched = await open({ type: 'preview', preview });
    const { page: browserPage } = watched;
    const heading = browserPage.locator('section.service h2');
    assert.equal(await heading.textContent(), 'Service web<U+202E>abc');
    const layout = await browserPage.evaluate(() => {
      const button = document.querySelector('section.service h2 .service-name');
      const isolate = button?.querySelector('bdi');
      const marker = isolate?.querySelector('.bidi-control');
      const kind = document.querySelector('section.service h2 .kind');
      if (!isolate || !marker || !kind) return undefined;
      const texts = Array.from(isolate.childNodes).filter((node): node is Text => node.nodeType === Node.TEXT_NODE);
      const characters = texts.flatMap((node) =>
        Array.from(node.data, (character, index) => {
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          const box = range.getBoundingClientRect();
          return { character, left: box.left, right: box.right };
        }),
      );
      const markerBox = marker.getBoundingClientRect();
      return {
        rawControls: (document.querySelector('main')?.textContent ?? '').includes('\u202E'),
        markerStyled: getComputedStyle(marker).borderStyle,
        markerWidth: markerBox.width,
        markerLeft: markerBox.left,
        markerRight: markerBox.right,
        kindRight: kind.getBoundingClientRect().right,
        characters,
      };
    });
    assert.ok(layout, 'the name, its isolate and the marker are rendered');
    assert.equal(layout.rawControls, false, 'no raw override is left in the page text');
    assert.equal(layout.markerStyled, 'dashed');
    assert.ok(layout.markerWidth > 0, 'the marker is visible');
    assert.equal(layout.characters.map((entry) => entry.character).join(''), 'webabc');
    // Left to right on screen in the order of the text: "Service", w e b, the marker, a b c.
    const lefts = layout.characters.map((entry) => entry.left);
    assert.deepEqual([...lefts].sort((left, right) => left - right), lefts, `characters in text order: ${JSON.stringify(layout.characters)}`);
    assert.ok(layout.kindRight <= lefts[0]!, 'the name follows the kind label');
    assert.ok(layout.characters[2]!.right <= layout.markerLeft + 0.5 && layout.markerRight <= layout.characters[3]!.left + 0.5, 'the marker sits between web and abc');
    assert.match((await browserPage.locator('section.service').textContent()) ?? '', /web<U\+202E>abc\.shop\.svc\.cluster\.local/);
    await watched.assertClean();
    await browserPage.close();
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
