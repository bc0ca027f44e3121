/**
 * Objects that point at Services, in the editor: renaming a Service in one file updates the
 * backend findings of another, hovers go both ways (backend → Service and its ports; Service →
 * the Ingresses, routes and monitors that point at it), and so do definition and references.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DefinitionRequest, ReferencesRequest, type Location } from 'vscode-languageserver-protocol/node';
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

  /** `file:line:character` (1-based line) of each location, sorted. */
  const named = (locations: readonly Location[] | null): string[] =>
    (locations ?? []).map((location) => `${location.uri.slice(session.uri('.').length + 1)}:${location.range.start.line + 1}:${location.range.start.character}`).sort();
  const definition = async (file: string, needle: string, occurrence: number): Promise<string[]> => {
    const position = positionOf(session.read(file), needle, occurrence, needle.length - 1);
    return named((await session.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: session.uri(file) }, position })) as Location[] | null);
  };
  const references = async (file: string, needle: string, occurrence: number): Promise<string[]> => {
    const position = positionOf(session.read(file), needle, occurrence, needle.length - 1);
    return named(await session.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: session.uri(file) }, position, context: { includeDeclaration: true } }));
  };

  it('definition from a route backendRef: its name to the Service, its port to the Service port', async () => {
    assert.deepEqual(await definition(ROUTES, 'name: web', 1), ['services/web.yaml:4:8']);
    assert.deepEqual(await definition(ROUTES, 'port: 80', 0), ['services/web.yaml:11:12']);
  });

  it('definition from a ServiceMonitor: its selector pair to the Service labels, its port to the Service port name', async () => {
    assert.deepEqual(await definition(ROUTES, 'app: web', 0), ['services/web.yaml:7:4']);
    assert.deepEqual(await definition(ROUTES, 'port: http', 0), ['services/web.yaml:10:12']);
  });

  it('references of the Service: the Ingress backend, the backendRef and the ServiceMonitor selector', async () => {
    assert.deepEqual(await references(SERVICE, 'name: web', 0), ['routes/ingress.yaml:14:22', 'routes/ingress.yaml:26:16', 'routes/ingress.yaml:37:6', 'services/web.yaml:4:8']);
  });

  it('references of the Service port, from the port and from the ServiceMonitor endpoint', async () => {
    const expected = ['routes/ingress.yaml:16:24', 'routes/ingress.yaml:27:16', 'routes/ingress.yaml:39:12', 'services/web.yaml:10:12', 'services/web.yaml:11:12'];
    assert.deepEqual(await references(SERVICE, 'name: http', 0), expected);
    assert.deepEqual(await references(ROUTES, 'port: http', 0), expected);
  });
});
