/**
 * Objects that point at Services, in the editor: renaming a Service in one file updates the
 * backend findings of another, and hovers go both ways (backend → Service and its ports;
 * Service → the Ingresses, routes and monitors that point at it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspSession, messageText, positionOf } from './harness';

const SERVICE = 'services/web.yaml';
const ROUTES = 'routes/ingress.yaml';

const codes = (list: readonly { code?: number | string }[]): string[] => list.map((diagnostic) => String(diagnostic.code)).sort();

describe('links beyond selectors', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'links' });
  });
  after(async () => {
    await session?.dispose();
  });

  it('a Service renamed in one file breaks the Ingress and route backends in another, and renaming it back clears them', async () => {
    assert.deepEqual(session.codesOf(ROUTES), []);
    let text = session.read(SERVICE);
    await session.open(SERVICE, text);
    const renamed = await session.edit(SERVICE, text, 'name: web', 'name: webb');
    text = renamed.text;
    const broken = await session.waitForDiagnostics(ROUTES, 'the backends no longer resolve', (list) => list.length === 2);
    // The ServiceMonitor selects by labels, which the renamed Service keeps: it still resolves.
    assert.deepEqual(codes(broken), ['ingress-backend-unresolved', 'route-backend-unresolved']);
    const ingress = broken.find((diagnostic) => diagnostic.code === 'ingress-backend-unresolved')!;
    assert.equal(messageText(ingress), 'Service web does not exist in namespace shop (did you mean webb?).');
    assert.equal(ingress.range.start.line, positionOf(session.read(ROUTES), 'name: web').line);

    await session.edit(SERVICE, text, 'name: webb', 'name: web');
    await session.waitForDiagnostics(ROUTES, 'empty again', (list) => list.length === 0);
    await session.close(SERVICE);
  });

  it('hover on a backend name: the Service it reaches and its ports', async () => {
    const text = session.read(ROUTES);
    const value = await session.hoverText(ROUTES, positionOf(text, 'name: web', 0, 'name: '.length + 1));
    assert.ok(value, 'a hover');
    assert.match(value, /Reaches \[Service\/web\]/);
    assert.match(value, /`http 80\/TCP` → targetPort `8080`/);
  });

  it('hover on a Service: the Ingress, route and monitor that point at it', async () => {
    const text = session.read(SERVICE);
    const value = await session.hoverText(SERVICE, positionOf(text, 'name: web', 0, 'name: '.length + 1));
    assert.ok(value, 'a hover');
    assert.match(value, /Pointed at by:/);
    assert.match(value, /\[Ingress\/shop\]\([^)]*ingress\.yaml#L14\) · Ingress backend/);
    assert.match(value, /\[HTTPRoute\/shop\]\([^)]*#L\d+\) · HTTPRoute backendRef/);
    assert.match(value, /\[ServiceMonitor\/web\]\([^)]*#L\d+\) · ServiceMonitor selector/);
  });
});
