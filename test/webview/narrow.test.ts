/**
 * The traffic preview in a panel beside the editor (about 600 px wide), in real headless Chromium:
 * a path of six steps is laid out down the panel instead of across it, so nothing scrolls sideways;
 * wide again, it goes back across. Each port shows its `kubectl port-forward` command with a copy
 * button, or why there is none. Screenshots: test-artifacts/webview/preview-600*.png.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createNonce, renderPreviewPage } from '../../client/webview/page';
import type { SourceLink, TrafficPreview } from '../../server/src/protocol/traffic';
import { Browser, webviewAssets, type Page, type Watched } from './browser';
import { PREVIEW, SIX_HOPS, storefront } from './fixtures/previews';

const PANEL_WIDTH = 600;
/** Wide enough for the six steps across. */
const WIDE = 2200;

function edgeCount(preview: TrafficPreview<SourceLink>): number {
  return preview.services.flatMap((service) => service.ports).reduce((sum, port) => sum + port.edges.length, 0);
}

/** What overflows sideways: the page, and each graph's scroll box. */
function overflow(page: Page): Promise<{ page: number; graphs: number[] }> {
  return page.evaluate(() => ({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    graphs: Array.from(document.querySelectorAll('.graph-scroll')).map((scroller) => scroller.scrollWidth - scroller.clientWidth),
  }));
}

describe('traffic preview in a 600 px panel (Chromium)', { timeout: 120_000 }, () => {
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

  async function rendered(preview: TrafficPreview<SourceLink>, width: number): Promise<Watched> {
    const watched = await browser.open(html(), { vscode: {} });
    await watched.page.setViewportSize({ width, height: 900 });
    await watched.page.waitForFunction(() => (globalThis as unknown as { serviceLensPosted: unknown[] }).serviceLensPosted.length > 0, undefined);
    await watched.send({ type: 'preview', preview });
    await watched.waitForEdges(edgeCount(preview));
    return watched;
  }

  async function waitForLayout(page: Page, layout: string): Promise<void> {
    await page.waitForFunction(
      (expected) => Array.from(document.querySelectorAll('.graph')).every((graph) => graph.getAttribute('data-layout') === expected),
      layout,
      { timeout: 10_000 },
    );
  }

  test('a six-step path is laid out down the panel: no horizontal scrolling, arrows from each step to the next', async () => {
    const watched = await rendered(SIX_HOPS, PANEL_WIDTH);
    const { page } = watched;
    await waitForLayout(page, 'down');
    assert.deepEqual(await overflow(page), { page: 0, graphs: [0] });

    const port = storefront.ports[0]!;
    const boxes = new Map<string, { column: number; top: number; bottom: number; left: number; right: number }>();
    for (const hop of port.hops) {
      const box = await page.locator(`[data-hop="${hop.id}"]`).boundingBox();
      assert.ok(box, hop.id);
      boxes.set(hop.id, { column: hop.column, top: box.y, bottom: box.y + box.height, left: box.x, right: box.x + box.width });
      assert.ok(box.x >= 0 && box.x + box.width <= PANEL_WIDTH, `${hop.id} inside the panel: ${box.x}..${box.x + box.width}`);
    }
    // Steps follow each other downwards; the Ingress rules and the Pods sit side by side.
    for (const upper of boxes.values()) {
      for (const lower of boxes.values()) {
        if (upper.column < lower.column) assert.ok(upper.bottom < lower.top, `column ${upper.column} above column ${lower.column}`);
      }
    }
    const [shop, admin, web, canary] = ['ingress-shop', 'ingress-admin', 'pod-web', 'pod-canary'].map((id) => boxes.get(id)!);
    assert.ok(Math.abs(shop!.top - admin!.top) < 1 && shop!.right <= admin!.left, 'two Ingress lanes side by side');
    assert.ok(Math.abs(web!.top - canary!.top) < 1 && web!.right <= canary!.left, 'two Pod lanes side by side');

    // Every arrow leaves the bottom of its source and ends at the top of its target.
    const edges = await page.locator('.graph').first().evaluate((graph) =>
      Array.from(graph.querySelectorAll('svg.edges g.edge')).map((group) => {
        const from = graph.querySelector(`[data-hop="${group.getAttribute('data-from')}"]`)!.getBoundingClientRect();
        const to = graph.querySelector(`[data-hop="${group.getAttribute('data-to')}"]`)!.getBoundingClientRect();
        const line = group.querySelector('path.edge-line')!.getBoundingClientRect();
        const head = group.querySelector('path.edge-head')!.getBoundingClientRect();
        return { ends: `${group.getAttribute('data-from')}->${group.getAttribute('data-to')}`, startGap: Math.abs(line.top - from.bottom), endGap: Math.abs(head.bottom - to.top) };
      }),
    );
    assert.deepEqual(edges.map((edge) => edge.ends), port.edges.map((edge) => `${edge.from}->${edge.to}`));
    for (const edge of edges) assert.ok(edge.startGap < 1.5 && edge.endGap < 1.5, JSON.stringify(edge));

    // Arrow keys follow the path down and move across lanes.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-hop'));
    await page.locator('[data-hop="ingress-shop"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'ingress-admin');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'balancer');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'pod-web');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'service');

    await watched.screenshot('preview-600');
    await watched.assertClean();
    await page.close();
  });

  test('wide, the same path goes across; narrowed to 600 px it goes down, and back', async () => {
    const watched = await rendered(SIX_HOPS, WIDE);
    const { page } = watched;
    await waitForLayout(page, 'across');
    const client = await page.locator('[data-hop="client"]').boundingBox();
    const pod = await page.locator('[data-hop="pod-web"]').boundingBox();
    assert.ok(client && pod && client.x + client.width < pod.x, 'across: the Client left of the Pods');
    assert.deepEqual(await overflow(page), { page: 0, graphs: [0] });

    await page.setViewportSize({ width: PANEL_WIDTH, height: 900 });
    await waitForLayout(page, 'down');
    assert.deepEqual(await overflow(page), { page: 0, graphs: [0] });
    await page.setViewportSize({ width: WIDE, height: 900 });
    await waitForLayout(page, 'across');
    await watched.assertClean();
    await page.close();
  });

  test('every Service of a namespace fits 600 px: DNS tables, env vars, port-forward commands and paths', async () => {
    const watched = await rendered(PREVIEW, PANEL_WIDTH);
    const { page } = watched;
    await page.evaluate(() => document.querySelectorAll('details').forEach((details) => ((details as HTMLDetailsElement).open = true)));
    await page.waitForFunction(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth, undefined, { timeout: 10_000 });
    const result = await overflow(page);
    assert.equal(result.page, 0, 'the page does not scroll sideways');
    assert.deepEqual(result.graphs, result.graphs.map(() => 0), 'no graph scrolls sideways');
    await watched.screenshot('preview-600-namespace');
    await watched.assertClean();
    await page.close();
  });

  test('each port shows its kubectl port-forward command with a copy button, or why kubectl cannot forward it', async () => {
    const watched = await rendered(PREVIEW, PANEL_WIDTH);
    const { page } = watched;
    const web = page.locator('section.service').first();
    const commands = await web.locator('.port-forward .command').allTextContents();
    assert.deepEqual(commands, ['kubectl port-forward svc/web -n shop 8080:80', 'kubectl port-forward svc/web -n shop 9090:9090']);
    assert.equal(await web.locator('.port-forward').first().getAttribute('data-local-port'), '8080');
    await web.locator('.port-forward button.copy').first().click();
    assert.deepEqual((await watched.posted()).at(-1), { type: 'copy', text: 'kubectl port-forward svc/web -n shop 8080:80' });

    const unavailable = await page.locator('.port-forward.unavailable').allTextContents();
    assert.deepEqual(unavailable, ['Port-forward kubectl port-forward forwards TCP only; this port is UDP.']);
    // Ports of a preview saved before port-forward existed show no line at all.
    const ports = await page.locator('section.block.port').count();
    const lines = await page.locator('.port-forward').count();
    assert.equal(lines, PREVIEW.services.flatMap((service) => service.ports).filter((port) => port.portForward !== undefined).length);
    assert.ok(lines < ports);
    await watched.assertClean();
    await page.close();
  });
});
