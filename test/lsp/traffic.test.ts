/**
 * The traffic preview request (`serviceLens/trafficPreview`) through the real server: the Service
 * under the cursor, all Services of a file or namespace, every location a SourceLink into a real
 * file, null where there is nothing to show or the request is malformed; and the Service hover's
 * link to the preview command. Also what the panel accepts from its page.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseViewMessage, restoredView } from '../../client/src/preview/messages';
import { TRAFFIC_PREVIEW_REQUEST, type SourceLink, type TrafficPreview, type TrafficScope } from '../../server/src/protocol/traffic';
import { LspSession, positionOf } from './harness';

const FRONTEND = 'services/frontend.yaml';
const STAGING = 'services/staging.yaml';
const WORKLOADS = 'apps/workloads.yaml';
const SETTINGS = 'config/settings.yaml';

type Preview = TrafficPreview<SourceLink>;

describe('traffic preview request', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'traffic' });
  });
  after(async () => {
    await session?.dispose();
  });

  function request(relative: string, needle: string, scope: TrafficScope, occurrence = 0): Promise<Preview | null> {
    const position = positionOf(session.read(relative), needle, occurrence, 1);
    return session.connection.sendRequest<Preview | null>(TRAFFIC_PREVIEW_REQUEST, { uri: session.uri(relative), position, scope });
  }

  it('shows the Service under the cursor: name, namespace, DNS name and port paths with links', async () => {
    const preview = await request(FRONTEND, 'name: web', 'service');
    assert.ok(preview, 'a preview');
    assert.equal(preview.scope, 'service');
    assert.equal(preview.services.length, 1);
    const [service] = preview.services;
    assert.ok(service);
    assert.equal(service.name, 'web');
    assert.equal(service.namespace, 'shop');
    assert.equal(service.dns.fqdn, 'web.shop.svc.cluster.local');
    // The Service's own location lies in its document (before the separator of the second one).
    const text = session.read(FRONTEND);
    assert.equal(service.location.uri, session.uri(FRONTEND));
    assert.ok(service.location.line < positionOf(text, '---').line, `line ${service.location.line}`);

    const port = service.ports.find((candidate) => candidate.port === 80);
    assert.ok(port, JSON.stringify(service.ports));
    assert.ok(port.hops.length > 0, 'hops');
    assert.ok(
      port.hops.some((hop) => hop.location?.uri === session.uri(WORKLOADS)),
      `a hop links to the Deployment: ${JSON.stringify(port.hops)}`,
    );
    for (const hop of port.hops) {
      assert.ok(hop.label.length > 0, `hop ${hop.id} has a label`);
    }
    assertLinksValid(preview);
  });

  it('follows the cursor to the second Service of a file', async () => {
    const preview = await request(FRONTEND, 'name: api', 'service');
    assert.ok(preview, 'a preview');
    assert.deepEqual(preview.services.map((service) => `${service.namespace}/${service.name}`), ['shop/api']);
    assert.equal(preview.services[0]?.dns.fqdn, 'api.shop.svc.cluster.local');
    assert.ok(preview.services[0]?.ports.some((port) => port.port === 9090 && port.nodePort === 30090));
    assertLinksValid(preview);
  });

  it('scope file: every Service of the file', async () => {
    const preview = await request(FRONTEND, 'name: web', 'file');
    assert.ok(preview, 'a preview');
    assert.equal(preview.scope, 'file');
    assert.deepEqual(names(preview), ['shop/api', 'shop/web']);
    assertLinksValid(preview);
  });

  it('scope namespace: every Service of the namespace, in any file, and no other', async () => {
    const shop = await request(FRONTEND, 'name: web', 'namespace');
    assert.ok(shop, 'a preview');
    assert.equal(shop.scope, 'namespace');
    assert.deepEqual(names(shop), ['shop/api', 'shop/cache', 'shop/web']);
    assertLinksValid(shop);
    const staging = await request(STAGING, 'name: web', 'namespace');
    assert.deepEqual(staging && names(staging), ['staging/web']);
    assert.equal(staging?.services[0]?.dns.fqdn, 'web.staging.svc.cluster.local');
  });

  it('returns null in a file without Services', async () => {
    assert.equal(await request(SETTINGS, 'mode: production', 'service'), null);
    assert.equal(await request(SETTINGS, 'name: settings', 'file'), null);
  });

  it('returns null for malformed requests and keeps serving', async () => {
    const position = { line: 3, character: 9 };
    const malformed: unknown[] = [
      { uri: 'not a uri', position, scope: 'service' },
      { uri: 'file:///no/such/folder/service.yaml', position, scope: 'service' },
      { uri: session.uri(FRONTEND), position: { line: -1, character: 'x' }, scope: 'service' },
      { uri: session.uri(FRONTEND), position, scope: 'everything' },
      { uri: 42 },
      null,
    ];
    for (const params of malformed) {
      assert.equal(await session.connection.sendRequest<Preview | null>(TRAFFIC_PREVIEW_REQUEST, params), null, JSON.stringify(params));
    }
    const preview = await request(FRONTEND, 'name: web', 'service');
    assert.deepEqual(preview && names(preview), ['shop/web'], 'still serving');
    assert.deepEqual(session.errors, []);
  });

  it('the Service hover links to the preview command with the URI and position of the Service', async () => {
    const text = session.read(FRONTEND);
    const value = await session.hoverText(FRONTEND, positionOf(text, 'name: api', 0, 'name: '.length + 1));
    assert.ok(value, 'a hover');
    const link = /\[Show traffic preview\]\(command:serviceLens\.showTrafficPreview\?([^)\s]+)\)/.exec(value);
    assert.ok(link?.[1], value);
    const args: unknown = JSON.parse(decodeURIComponent(link[1]));
    assert.ok(Array.isArray(args) && args.length === 2, JSON.stringify(args));
    const [uri, position] = args as [string, { line: number; character: number }];
    assert.equal(uri, session.uri(FRONTEND));
    assert.equal(position.line, positionOf(text, 'name: api').line);
    // The arguments are what the command sends: they ask for the hovered Service.
    const preview = await session.connection.sendRequest<Preview | null>(TRAFFIC_PREVIEW_REQUEST, { uri, position, scope: 'service' });
    assert.deepEqual(preview && names(preview), ['shop/api']);
  });

  /** Every `location` anywhere in the preview names an existing file of the copy and a line inside it. */
  function assertLinksValid(preview: Preview): void {
    const links = collectLinks(preview);
    assert.ok(links.length > preview.services.length, 'locations beyond the Services themselves');
    for (const link of links) {
      assert.ok(link.uri.startsWith(session.uri('.')), `inside the workspace: ${link.uri}`);
      const filePath = fileURLToPath(link.uri);
      assert.ok(fs.existsSync(filePath), `exists: ${link.uri}`);
      const lines = fs.readFileSync(filePath, 'utf8').split('\n');
      assert.ok(Number.isInteger(link.line) && link.line >= 0 && link.line < lines.length, `line ${link.line} of ${link.uri}`);
      const lineLength = lines[link.line]?.length ?? 0;
      assert.ok(Number.isInteger(link.character) && link.character >= 0 && link.character <= lineLength, `character ${link.character} of ${link.uri}:${link.line}`);
    }
  }
});

function names(preview: Preview): string[] {
  return preview.services.map((service) => `${service.namespace}/${service.name}`).sort();
}

/** The values of every `location` key in the tree, checked to be SourceLinks. */
function collectLinks(value: unknown, found: SourceLink[] = []): SourceLink[] {
  if (Array.isArray(value)) {
    for (const item of value) collectLinks(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'location') {
        assert.ok(isSourceLink(child), `a SourceLink: ${JSON.stringify(child)}`);
        found.push(child);
      } else {
        collectLinks(child, found);
      }
    }
  }
  return found;
}

function isSourceLink(value: unknown): value is SourceLink {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['uri'] === 'string' && typeof record['line'] === 'number' && typeof record['character'] === 'number' && Object.keys(record).length === 3;
}

describe('traffic preview panel: messages from the page', () => {
  const location = { uri: 'file:///project/shop/web.yaml', line: 3, character: 8 };

  it('accepts well-formed messages', () => {
    assert.deepEqual(parseViewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseViewMessage({ type: 'scope', scope: 'namespace' }), { type: 'scope', scope: 'namespace' });
    assert.deepEqual(parseViewMessage({ type: 'reveal', location }), { type: 'reveal', location });
    assert.deepEqual(parseViewMessage({ type: 'copy', text: 'web.shop.svc.cluster.local' }), { type: 'copy', text: 'web.shop.svc.cluster.local' });
    const overlay = 'file:///project/overlays/prod/kustomization.yaml';
    assert.deepEqual(parseViewMessage({ type: 'overlay', overlay }), { type: 'overlay', overlay });
  });

  it('ignores unknown and malformed messages', () => {
    const rejected: unknown[] = [
      undefined,
      'ready',
      [],
      { type: 'run', command: 'workbench.action.terminal.new' },
      { type: 'scope', scope: 'workspace' },
      { type: 'scope', scope: 'cluster' },
      { type: 'reveal', location: { ...location, uri: 'command:workbench.action.terminal.new' } },
      { type: 'reveal', location: { ...location, uri: 'https://example.com/web.yaml' } },
      { type: 'reveal', location: { ...location, line: -1 } },
      { type: 'reveal', location: { uri: location.uri, line: '3', character: 0 } },
      { type: 'copy', text: 42 },
      { type: 'copy', text: '' },
      { type: 'copy', text: 'x'.repeat(100_001) },
      { type: 'overlay' },
      { type: 'overlay', overlay: '' },
      { type: 'overlay', overlay: 7 },
      { type: 'overlay', overlay: 'x'.repeat(4097) },
    ];
    for (const message of rejected) {
      assert.equal(parseViewMessage(message), undefined, JSON.stringify(message));
    }
  });

  it('restores a panel from the saved cursor, else from the first Service of the saved preview', () => {
    const position = { line: 4, character: 2 };
    assert.deepEqual(restoredView({ scope: 'file', uri: location.uri, position }), { scope: 'file', target: { uri: location.uri, position } });
    assert.deepEqual(restoredView({ scope: 'namespace', preview: { services: [{ location }] } }), {
      scope: 'namespace',
      target: { uri: location.uri, position: { line: location.line, character: location.character } },
    });
    assert.deepEqual(restoredView({ scope: 'workspace', uri: location.uri, position: { line: 'x' } }), { scope: 'service', target: undefined });
    assert.deepEqual(restoredView(undefined), { scope: 'service', target: undefined });
  });
});
