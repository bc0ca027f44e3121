/**
 * The traffic preview page as the VS Code panel runs it, in real headless Chromium: a stub
 * `acquireVsCodeApi` records what the page posts and saves; data arrives as window messages.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNonce, renderPreviewPage } from '../../client/webview/page';
import type { TrafficPreview, SourceLink } from '../../server/src/protocol/traffic';
import { Browser, webviewAssets, type Watched } from './browser';
import { HOSTILE, HOSTILE_LABEL, HOSTILE_NAME, link, ONE_SERVICE, PREVIEW, web } from './fixtures/previews';

const ERROR_COLOUR = 'rgb(200, 10, 20)';

function edgeCount(preview: TrafficPreview<SourceLink>): number {
  return preview.services.flatMap((service) => service.ports).reduce((sum, port) => sum + port.edges.length, 0);
}

/** A copy as it arrives after structured cloning / JSON (no undefined-valued keys). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('traffic preview in a VS Code webview (Chromium)', { timeout: 120_000 }, () => {
  let browser: Browser;
  let html: () => string;

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

  /** A page with PREVIEW rendered and every arrow drawn. */
  async function rendered(preview: TrafficPreview<SourceLink> = PREVIEW): Promise<Watched> {
    const watched = await browser.open(html(), { vscode: {} });
    await watched.page.waitForFunction(() => (globalThis as unknown as { serviceLensPosted: unknown[] }).serviceLensPosted.length > 0, undefined);
    await watched.page.evaluate((colour) => document.documentElement.style.setProperty('--vscode-errorForeground', colour), ERROR_COLOUR);
    await watched.send({ type: 'preview', preview });
    await watched.waitForEdges(edgeCount(preview));
    return watched;
  }

  test('posts ready, then renders one region per Service with DNS names, records and env vars', async () => {
    const watched = await rendered();
    const { page } = watched;
    assert.deepEqual((await watched.posted())[0], { type: 'ready' });

    const regions = page.locator('section.service[role="region"]');
    assert.equal(await regions.count(), PREVIEW.services.length);
    const headings = await page.locator('section.service h2').allTextContents();
    assert.deepEqual(headings, PREVIEW.services.map((service) => `Service ${service.name}`));

    const webRegion = regions.first();
    const names = await webRegion.locator('ul.dns-names .dns-name').allTextContents();
    assert.deepEqual(names, [web.dns.fqdn, ...web.dns.shortNames.map((short) => short.name)]);
    assert.equal(await webRegion.locator('ul.dns-names').getAttribute('aria-label'), 'DNS names of web');
    assert.match((await webRegion.locator('ul.dns-names li').nth(1).textContent()) ?? '', /from Pods in namespace shop/);
    const records = await webRegion.locator('table.records tbody tr').allTextContents();
    assert.equal(records.length, web.dns.records.length);
    web.dns.records.forEach((record, index) => {
      assert.ok(records[index]!.startsWith(record.type) && records[index]!.includes(record.name) && records[index]!.includes(record.value), records[index]);
    });

    // Headless per-Pod names, the ExternalName CNAME, selectorless endpoint notes.
    const text = (await page.locator('main').textContent()) ?? '';
    for (const expected of ['db-0.db.data.svc.cluster.local', 'db-1.db.data.svc.cluster.local', 'CNAME', 'api.payments.example.net', '10.0.0.7:80', 'No selector: traffic goes to the addresses of Endpoints/legacy.']) {
      assert.ok(text.includes(expected), expected);
    }

    // Env vars live inside a closed <details>, collisions marked.
    const details = webRegion.locator('details.env');
    assert.equal(await details.evaluate((element) => (element as HTMLDetailsElement).open), false);
    const variables = await details.locator('table.variables tbody tr td:first-child code').allTextContents();
    assert.deepEqual(variables, web.env.variables.map((variable) => variable.name));
    assert.equal(await details.locator('tr.collision').count(), 1);
    assert.match((await details.locator('tr.collision').textContent()) ?? '', /WEB_PORT.*collides with the variable set by Deployment\/web/);
    assert.match((await details.locator('summary').textContent()) ?? '', /Environment variables \(9\)\s*1 collision/);
    await watched.assertClean();
    await watched.page.close();
  });

  test('draws each port as boxes in columns left to right, one lane per Pod, joined by SVG arrows', async () => {
    const watched = await rendered();
    const port = web.ports[0]!;
    const graph = watched.page.locator('.graph').first();
    assert.equal(await graph.getAttribute('role'), 'group');
    assert.match((await graph.getAttribute('aria-label')) ?? '', /^Traffic path of Port http 80\/TCP: Client, then Ingress shop\.example\.com\/ or shop\.example\.com\/admin, then Cluster IP web\.shop:80, then Pods Deployment\/web or Pod\/web-canary\. 1 broken link\.$/);

    const boxes = graph.locator('.hop');
    assert.equal(await boxes.count(), port.hops.length);
    const labels = await graph.locator('.hop .hop-label').allTextContents();
    assert.deepEqual(labels, port.hops.map((hop) => hop.label));

    const positions = new Map<string, { column: number; x: number; right: number; y: number }>();
    for (const hop of port.hops) {
      const box = await graph.locator(`[data-hop="${hop.id}"]`).boundingBox();
      assert.ok(box);
      positions.set(hop.id, { column: hop.column, x: box.x, right: box.x + box.width, y: box.y });
    }
    for (const left of positions.values()) {
      for (const right of positions.values()) {
        if (left.column < right.column) assert.ok(left.right < right.x, `column ${left.column} ends before column ${right.column} starts`);
        if (left.column === right.column) assert.ok(Math.abs(left.x - right.x) < 1, 'one column, one x');
      }
    }
    assert.ok(Math.abs(positions.get('pod-web')!.y - positions.get('pod-canary')!.y) > 20, 'two Pod lanes');

    // Every edge is an SVG path from the right side of its source box to the left side of its target.
    const edges = await graph.evaluate((element) =>
      Array.from(element.querySelectorAll('svg.edges g.edge')).map((group) => {
        const from = element.querySelector(`[data-hop="${group.getAttribute('data-from')}"]`)!.getBoundingClientRect();
        const to = element.querySelector(`[data-hop="${group.getAttribute('data-to')}"]`)!.getBoundingClientRect();
        const line = group.querySelector('path.edge-line')!.getBoundingClientRect();
        const head = group.querySelector('path.edge-head')!.getBoundingClientRect();
        return {
          ends: `${group.getAttribute('data-from')}->${group.getAttribute('data-to')}`,
          startGap: Math.abs(line.left - from.right),
          endGap: Math.abs(head.right - to.left),
          inside: line.top >= Math.min(from.top, to.top) - 1 && line.bottom <= Math.max(from.bottom, to.bottom) + 1,
        };
      }),
    );
    assert.deepEqual(edges.map((edge) => edge.ends), port.edges.map((edge) => `${edge.from}->${edge.to}`));
    for (const edge of edges) {
      assert.ok(edge.startGap < 1.5 && edge.endGap < 1.5 && edge.inside, JSON.stringify(edge));
    }
    await watched.assertClean();
    await watched.page.close();
  });

  test('marks broken hops and links in the error colour, with their reasons as text', async () => {
    const watched = await rendered();
    const { page } = watched;
    const brokenHops = page.locator('.hop.broken');
    assert.equal(await brokenHops.count(), 1);
    const hop = web.ports[1]!.hops.find((entry) => entry.broken !== undefined)!;
    assert.equal(await brokenHops.first().getAttribute('data-hop'), hop.id);
    assert.equal(await brokenHops.locator('.hop-broken').textContent(), hop.broken);
    assert.equal(await brokenHops.first().evaluate((element) => getComputedStyle(element).borderTopColor), ERROR_COLOUR);
    assert.equal(await brokenHops.locator('.hop-broken').evaluate((element) => getComputedStyle(element).color), ERROR_COLOUR);
    assert.match((await brokenHops.first().getAttribute('aria-label')) ?? '', /broken: targetPort "metrics" is not a port name of Pod\/web-canary/);

    const brokenEdge = page.locator('g.edge.broken');
    assert.equal(await brokenEdge.count(), 1);
    assert.equal(await brokenEdge.getAttribute('data-from'), 'ingress-admin');
    assert.equal(await brokenEdge.locator('path.edge-line').evaluate((element) => getComputedStyle(element).stroke), ERROR_COLOUR);
    const reason = page.locator('.broken-edges li');
    assert.equal(await reason.count(), 1);
    assert.equal(
      await reason.textContent(),
      'shop.example.com/admin → web.shop:80: Ingress/shop asks for port 8443, which Service web does not have',
    );
    assert.equal(await reason.evaluate((element) => getComputedStyle(element).color), ERROR_COLOUR);
    // Hop notes are visible text.
    assert.ok((await page.locator('.hop-note').allTextContents()).includes('no readinessProbe: receives traffic as soon as it starts'));
    assert.ok((await page.locator('.hop-note').allTextContents()).includes('externalTrafficPolicy: Local (node-local endpoints only, source IP kept)'));
    await watched.assertClean();
    await watched.page.close();
  });

  test('a click or Enter on a hop posts reveal with its location; arrow keys move between hops', async () => {
    const watched = await rendered();
    const { page } = watched;
    const graph = page.locator('.graph').first();
    await graph.locator('[data-hop="pod-web"]').click();
    assert.deepEqual((await watched.posted()).at(-1), { type: 'reveal', location: link('web.yaml', 24, 16) });

    await graph.locator('[data-hop="ingress-shop"]').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual((await watched.posted()).at(-1), { type: 'reveal', location: link('ingress.yaml', 14, 16) });

    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-hop') ?? document.activeElement?.tagName);
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'service');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'pod-web');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'pod-canary');
    await page.keyboard.press('Enter');
    assert.deepEqual((await watched.posted()).at(-1), { type: 'reveal', location: link('web.yaml', 40, 14) });
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), 'service');

    // A hop without a location is not a button and not in the tab order.
    assert.equal(await graph.locator('[data-hop="client"]').evaluate((element) => element.tagName), 'DIV');
    // The Service name reveals the Service.
    await page.locator('section.service').first().locator('button.service-name').click();
    assert.deepEqual((await watched.posted()).at(-1), { type: 'reveal', location: web.location });
    await watched.assertClean();
    await watched.page.close();
  });

  test('copy buttons post the name; the scope switcher posts the scope and saves it', async () => {
    const watched = await rendered();
    const { page } = watched;
    await page.locator('button.copy[aria-label="Copy web.shop.svc.cluster.local"]').first().click();
    assert.deepEqual((await watched.posted()).at(-1), { type: 'copy', text: 'web.shop.svc.cluster.local' });
    await page.locator('button.copy[aria-label="Copy _http._tcp.web.shop.svc.cluster.local"]').click();
    assert.deepEqual((await watched.posted()).at(-1), { type: 'copy', text: '_http._tcp.web.shop.svc.cluster.local' });

    const scopes = page.locator('fieldset.scope input[type="radio"]');
    assert.equal(await scopes.count(), 3);
    assert.equal(await page.locator('fieldset.scope input:checked').getAttribute('value'), 'namespace');
    await page.locator('fieldset.scope label').nth(1).click();
    assert.deepEqual((await watched.posted()).at(-1), { type: 'scope', scope: 'file' });
    assert.deepEqual(await watched.state(), { scope: 'file', preview: plain(PREVIEW) });
    await watched.assertClean();
    await watched.page.close();
  });

  test('ignores malformed and unknown messages, keeps what it shows, and shows the reason of an empty one', async () => {
    const watched = await rendered();
    const { page } = watched;
    await page.evaluate(() => {
      const counter = globalThis as unknown as { serviceLensReceived: number };
      counter.serviceLensReceived = 0;
      window.addEventListener('message', () => (counter.serviceLensReceived += 1));
    });
    const malformed: unknown[] = [
      null,
      'preview',
      42,
      { type: 'preview' },
      { type: 'preview', preview: { ...ONE_SERVICE, version: 2 } },
      { type: 'preview', preview: { ...ONE_SERVICE, services: [{ ...ONE_SERVICE.services[0], ports: 'all' }] } },
      { type: 'preview', preview: { ...ONE_SERVICE, services: [{ ...ONE_SERVICE.services[0], name: { toString: null } }] } },
      { type: 'empty', reason: ['x'] },
      { type: 'reveal', location: link('x.yaml', 1) },
      { type: '__proto__' },
    ];
    for (const message of malformed) await watched.send(message);
    await page.waitForFunction((count) => (globalThis as unknown as { serviceLensReceived: number }).serviceLensReceived === count, malformed.length);
    assert.equal(await page.locator('section.service').count(), PREVIEW.services.length);
    assert.equal(await page.locator('h1').textContent(), PREVIEW.title);
    assert.deepEqual(((await watched.state()) as { preview: unknown }).preview, plain(PREVIEW));

    await watched.send({ type: 'empty', reason: 'No Service at the cursor.' });
    await page.locator('p.empty').waitFor();
    assert.equal(await page.locator('p.empty').textContent(), 'No Service at the cursor.');
    assert.equal(await page.locator('section.service').count(), 0);
    assert.deepEqual(await watched.state(), { scope: 'namespace' });
    await watched.assertClean();
    await watched.page.close();
  });

  test('restores the saved preview and scope before any message arrives', async () => {
    const state = { scope: 'file', uri: 'file:///workspace/shop/checkout.yaml', position: { line: 30, character: 4 }, preview: ONE_SERVICE };
    const watched = await browser.open(html(), { vscode: { state } });
    await watched.waitForEdges(edgeCount(ONE_SERVICE));
    assert.deepEqual(await watched.page.locator('section.service h2').allTextContents(), ['Service checkout']);
    assert.equal(await watched.page.locator('fieldset.scope input:checked').getAttribute('value'), 'service');
    assert.deepEqual(await watched.state(), plain({ ...state, scope: 'service' }));
    await watched.assertClean();
    await watched.page.close();
  });

  test('hostile names and labels render as text and run nothing', async () => {
    const watched = await rendered(HOSTILE);
    const { page } = watched;
    assert.equal(await page.locator('section.service h2').textContent(), `Service ${HOSTILE_NAME}`);
    const selector = await page.locator('.facts .chip').allTextContents();
    assert.deepEqual(selector, [`app=${HOSTILE_LABEL}`, '<b onmouseover=alert(2)>="><svg onload=alert(3)>']);
    const text = (await page.locator('main').textContent()) ?? '';
    for (const expected of ['<iframe srcdoc="<script>alert(4)</script>">', '<a href="javascript:alert(5)">click</a>', `${HOSTILE_NAME}.shop.svc.cluster.local`]) {
      assert.ok(text.includes(expected), expected);
    }
    const counts = await page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      scripts: document.scripts.length,
      frames: document.querySelectorAll('iframe').length,
      anchors: document.querySelectorAll('main a').length,
      bold: document.querySelectorAll('b').length,
      svgs: document.querySelectorAll('svg').length,
      graphs: document.querySelectorAll('.graph').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((element) => Array.from(element.attributes).some((attribute) => attribute.name.startsWith('on'))).length,
    }));
    assert.deepEqual(counts, { images: 0, scripts: 1, frames: 0, anchors: 0, bold: 0, svgs: 1, graphs: 1, handlers: 0 });
    // Hover and click every hop: nothing hidden fires either.
    const hops = await page.locator('button.hop').count();
    assert.ok(hops > 0);
    for (let index = 0; index < hops; index += 1) await page.locator('button.hop').nth(index).click();
    await watched.assertClean();
    await watched.page.close();
  });

  test('follows the VS Code theme: dark and high contrast (screenshots)', async () => {
    const watched = await rendered();
    const { page } = watched;
    await page.evaluate(() => {
      const style = document.documentElement.style;
      const dark: Record<string, string> = {
        '--vscode-editor-background': '#1f1f1f',
        '--vscode-foreground': '#cccccc',
        '--vscode-descriptionForeground': '#9d9d9d',
        '--vscode-widget-border': '#313131',
        '--vscode-editorWidget-background': '#202020',
        '--vscode-textCodeBlock-background': '#2b2b2b',
        '--vscode-list-hoverBackground': '#2a2d2e',
        '--vscode-errorForeground': '#f85149',
        '--vscode-focusBorder': '#0078d4',
        '--vscode-textLink-foreground': '#4daafc',
        '--vscode-button-background': '#0078d4',
        '--vscode-button-foreground': '#ffffff',
        '--vscode-button-secondaryBackground': '#313131',
        '--vscode-button-secondaryForeground': '#cccccc',
        '--vscode-font-family': 'system-ui, sans-serif',
        '--vscode-font-size': '13px',
        '--vscode-editor-font-family': 'monospace',
      };
      for (const [name, value] of Object.entries(dark)) style.setProperty(name, value);
      document.body.classList.add('vscode-dark');
    });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(31, 31, 31)');
    await watched.screenshot('vscode-dark');
    // A panel beside the editor is narrow: the graph scrolls inside its port, never the page.
    await page.setViewportSize({ width: 520, height: 900 });
    await watched.waitForEdges(edgeCount(PREVIEW));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    await watched.screenshot('vscode-narrow');
    await page.setViewportSize({ width: 1200, height: 900 });

    await page.evaluate(() => {
      const style = document.documentElement.style;
      const contrast: Record<string, string> = {
        '--vscode-editor-background': '#000000',
        '--vscode-foreground': '#ffffff',
        '--vscode-descriptionForeground': '#ffffff',
        '--vscode-contrastBorder': '#6fc3df',
        '--vscode-contrastActiveBorder': '#f38518',
        '--vscode-editorWidget-background': '#0c141f',
        '--vscode-errorForeground': '#f48771',
        '--vscode-button-background': '#000000',
        '--vscode-button-secondaryBackground': '#000000',
        '--vscode-button-secondaryForeground': '#ffffff',
      };
      for (const [name, value] of Object.entries(contrast)) style.setProperty(name, value);
      document.body.classList.replace('vscode-dark', 'vscode-high-contrast');
    });
    const border = await page.locator('.hop:not(.broken)').first().evaluate((element) => getComputedStyle(element).borderTopColor);
    assert.equal(border, 'rgb(111, 195, 223)', 'high contrast: hop borders in the contrast border colour');
    assert.equal(await page.locator('.copy').first().evaluate((element) => getComputedStyle(element).borderTopColor), 'rgb(111, 195, 223)');
    assert.equal(await page.locator('.hop.broken').evaluate((element) => getComputedStyle(element).borderTopStyle), 'dashed');
    await watched.screenshot('vscode-high-contrast');
    await watched.assertClean();
    await watched.page.close();
  });
});
