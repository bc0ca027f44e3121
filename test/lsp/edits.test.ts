/**
 * Editing: an open document overrides the disk, an edit in one file updates the verdicts of
 * another file, and half-typed YAML never takes the server down.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspSession, messageText, positionOf } from './harness';

const DEPLOYMENT = 'apps/web-deployment.yaml';
const SERVICE = 'services/web-service.yaml';
const ORPHAN = 'services/orphan-service.yaml';

const hasCode = (code: string) => (list: readonly { code?: number | string }[]): boolean => list.some((diagnostic) => diagnostic.code === code);

/** A small deterministic generator (mulberry32), so a failing cut is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

describe('editing', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'shop' });
    await session.waitForDiagnostics(ORPHAN, 'initial finding', hasCode('service-selector-no-match'));
  });
  after(async () => {
    await session?.dispose();
  });

  it('breaks a Service in another file when the template labels change, and fixes it when they change back', async () => {
    assert.deepEqual(session.codesOf(SERVICE), []);
    let text = session.read(DEPLOYMENT);
    await session.open(DEPLOYMENT, text);

    // The template label (the `app: web` after `template:`; the first one is the workload's own selector).
    const template = text.indexOf('template:');
    const broken = await session.edit(DEPLOYMENT, text, 'app: web\n', 'app: webshop\n', template);
    text = broken.text;
    const serviceDiagnostics = await session.waitForDiagnostics(SERVICE, 'gains service-selector-no-match', hasCode('service-selector-no-match'));
    const noMatch = serviceDiagnostics.find((diagnostic) => diagnostic.code === 'service-selector-no-match');
    assert.match(noMatch ? messageText(noMatch) : '', /Deployment\/web/);
    // The edited file is published for its new version; its own selector no longer matches its template.
    const edited = await session.waitForVersion(DEPLOYMENT, broken.version);
    assert.ok(hasCode('workload-selector-mismatch')(edited), JSON.stringify(edited));
    // The disk is untouched: the editor's text only overrides it.
    assert.match(session.read(DEPLOYMENT), /^ {8}app: web$/m);

    const fixed = await session.edit(DEPLOYMENT, text, 'app: webshop', 'app: web', template);
    await session.waitForDiagnostics(SERVICE, 'empty again', (list) => list.length === 0);
    assert.deepEqual(await session.waitForVersion(DEPLOYMENT, fixed.version), []);
    await session.close(DEPLOYMENT);
  });

  it('survives half-typed YAML and keeps diagnosing the other files', async () => {
    const draft = 'services/draft.yaml';
    const complete = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: "draft"',
      '  namespace: shop',
      '  labels: {team: "shop", tier: \'edge\'}',
      'spec:',
      '  selector:',
      '    app: web',
      '  ports:',
      '    - name: http',
      '      port: 80',
      '      targetPort: https',
      '---',
      '[{"kind": "Service", "apiVersion": "v1"}]',
      '',
    ].join('\n');
    let version = await session.open(draft, '');
    await session.waitForVersion(draft, version);
    const next = random(20240611);
    const cuts: string[] = [];
    for (let index = 0; index < 40; index++) {
      cuts.push(complete.slice(0, Math.floor(next() * complete.length)));
    }
    // Typing character by character through the quoted and flow parts, and some broken shapes.
    for (let end = complete.indexOf('  name:'); end < complete.indexOf('spec:'); end++) {
      cuts.push(complete.slice(0, end));
    }
    cuts.push('kind: Service\napiVersion: v1\nmetadata: {name: "unterminated\nspec:\n  selector: {app: web');
    cuts.push("apiVersion: v1\nkind: Service\nmetadata:\n  name: 'half\n\t- tab: indented\n");
    cuts.push('apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: [80\n    - targetPort: }\n');
    cuts.push('---\n---\n: :\n- - -\n&anchor *alias\n!!binary |\n  ?\n');
    for (const text of cuts) {
      version = await session.replace(draft, text);
    }
    // Every edit is answered in order; the last one proves the server is still reading.
    await session.waitForVersion(draft, version);

    // Other files are still diagnosed, and edits elsewhere still propagate.
    assert.ok(hasCode('service-selector-no-match')(session.diagnosticsOf(ORPHAN)));
    const serviceText = session.read(SERVICE);
    const hover = await session.hoverText(SERVICE, positionOf(serviceText, 'name: web', 0, 'name: '.length));
    assert.ok(hover?.includes('Deployment/web'), hover);

    // The completed document is analysed normally: it selects Deployment/web, whose container has no port `https`.
    version = await session.replace(draft, complete);
    const finalDiagnostics = await session.waitForVersion(draft, version);
    assert.ok(!hasCode('service-selector-no-match')(finalDiagnostics), JSON.stringify(finalDiagnostics));
    assert.ok(hasCode('service-target-port-unresolved')(finalDiagnostics), JSON.stringify(finalDiagnostics));
    await session.close(draft);
    // Closed and not on disk: it leaves the universe and its findings are cleared.
    await session.waitForDiagnostics(draft, 'cleared after close', (list) => list.length === 0);
    assert.deepEqual(session.errors, [], 'no handler failed');
  });
});
