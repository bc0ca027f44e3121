/**
 * Hovers: a Service shows the Pod templates it selects (with links), its port resolution and DNS
 * name; a Pod template's labels show the Services selecting it; a missing selector pair shows the
 * nearest miss; elsewhere there is no hover.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspSession, positionAt, positionOf } from './harness';

const DEPLOYMENT = 'apps/web-deployment.yaml';
const SERVICE = 'services/web-service.yaml';
const ORPHAN = 'services/orphan-service.yaml';

describe('hover', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'shop' });
  });
  after(async () => {
    await session?.dispose();
  });

  it('on a Service name: matched templates with a link, the port resolution and the DNS name', async () => {
    const text = session.read(SERVICE);
    const hover = await session.hover(SERVICE, positionOf(text, 'name: web', 0, 'name: '.length + 1));
    assert.ok(hover, 'a hover');
    const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.ok(typeof hover.contents === 'object' && 'kind' in hover.contents && hover.contents.kind === 'markdown');
    assert.match(value, /Service\/web/);
    assert.match(value, /web\.shop\.svc\.cluster\.local/);
    assert.match(value, /namespace `shop`/);
    // A link to the Deployment's file at a line inside it.
    const link = new RegExp(`\\[Deployment/web\\]\\(${escapeRegExp(session.uri(DEPLOYMENT))}#L(\\d+)\\)`).exec(value);
    assert.ok(link, value);
    const line = Number(link[1]);
    assert.ok(line >= 1 && line <= session.read(DEPLOYMENT).split('\n').length, `line ${line}`);
    // Port 80 → targetPort http → container web:8080/TCP.
    const row = value.split('\n').find((candidate) => candidate.startsWith('|') && candidate.includes('80/TCP') && candidate.includes('Deployment/web'));
    assert.ok(row, value);
    assert.match(row, /http/);
    assert.match(row, /web:8080\/TCP/);
    // The hover range covers the hovered name.
    assert.ok(hover.range);
    assert.equal(hover.range.start.line, positionOf(text, 'name: web').line);
  });

  it('on Pod template labels: the Services selecting the template, with their ports', async () => {
    const text = session.read(DEPLOYMENT);
    const templateLabel = text.indexOf('app: web', text.indexOf('labels:'));
    const value = await session.hoverText(DEPLOYMENT, positionAt(text, templateLabel + 1));
    assert.ok(value, 'a hover');
    assert.match(value, /Service\/web/);
    assert.match(value, new RegExp(escapeRegExp(session.uri(SERVICE))));
    assert.match(value, /80→http\/TCP/);
    assert.doesNotMatch(value, /Service\/orphan/, 'the orphan Service does not select this template');
  });

  it('on a selector pair that misses: the nearest miss', async () => {
    const text = session.read(ORPHAN);
    const value = await session.hoverText(ORPHAN, positionOf(text, 'tier: backend', 0, 1));
    assert.ok(value, 'a hover');
    assert.match(value, /Nearest miss/);
    assert.match(value, /Deployment\/web/);
    assert.match(value, /tier=frontend/);
  });

  it('returns null where there is nothing to show', async () => {
    const text = session.read(DEPLOYMENT);
    assert.equal(await session.hover(DEPLOYMENT, positionOf(text, 'replicas: 2', 0, 'replicas: '.length)), null);
    assert.equal(await session.hover('config/settings.json', { line: 0, character: 3 }), null);
  });

  it('analyses a file outside every workspace folder on its own', async () => {
    const text = session.read(SERVICE).replace('name: web', 'name: outside');
    const relative = '../outside-of-folder.yaml';
    await session.open(relative, text);
    const value = await session.hoverText(relative, positionOf(text, 'name: outside', 0, 'name: '.length));
    assert.ok(value, 'a hover');
    assert.match(value, /Service\/outside/);
    assert.doesNotMatch(value, /Deployment\/web/, 'templates of the folder are not linked');
    await session.waitForDiagnostics(relative, 'selects nothing alone', (list) => list.some((diagnostic) => diagnostic.code === 'service-selector-no-match'));
    await session.close(relative);
    await session.waitForDiagnostics(relative, 'cleared after close', (list) => list.length === 0);
    assert.deepEqual(session.errors, []);
  });
});

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
