/**
 * Quick fixes over stdio: Ctrl+. on a finding offers the rule's fix (preferred) and a suppression
 * comment; applying either as the editor would clears the Problem and adds none.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspSession, positionAt } from './harness';
import { applyTextEdits } from './textEdits';

const FILE = 'shop/services/numbers.yaml';

describe('code actions', () => {
  let session: LspSession;
  beforeEach(async () => {
    session = await LspSession.start({ fixture: 'authoring' });
  });
  afterEach(async () => {
    await session?.dispose();
  });

  async function actionsFor(diagnostic: Diagnostic): Promise<CodeAction[]> {
    const result = await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: session.uri(FILE) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    return (result ?? []) as CodeAction[];
  }

  for (const which of ['the rule fix', 'the suppression comment'] as const) {
    it(`${which} clears the Problem`, async () => {
      const text = session.read(FILE);
      await session.open(FILE, text);
      const published = await session.waitForDiagnostics(FILE, 'the selector typo', (list) => list.some((item) => item.code === 'service-selector-no-match'));
      assert.equal(published.length, 1, JSON.stringify(published));
      const diagnostic = published[0]!;
      assert.match(String(diagnostic.message), /Deployment\/web has app=web, not app=webb/);
      const actions = await actionsFor(diagnostic);
      assert.deepEqual(
        actions.map((action) => [action.title, action.isPreferred]),
        [
          ['Select app=web (the label of Deployment/web)', true],
          ['Disable service-selector-no-match for this line', false],
        ],
      );
      const action = which === 'the rule fix' ? actions[0]! : actions[1]!;
      assert.equal(action.kind, 'quickfix');
      assert.deepEqual(action.diagnostics?.map((item) => item.code), ['service-selector-no-match']);
      const edits = action.edit?.changes?.[session.uri(FILE)];
      assert.ok(edits);
      const fixed = applyTextEdits(text, edits);
      assert.ok(fixed.includes('# a typo of web'), 'the comment stays');
      const version = await session.replace(FILE, fixed);
      assert.deepEqual(await session.waitForVersion(FILE, version), []);
      if (which === 'the suppression comment') assert.match(fixed, /\n {4}# service-lens-disable-next-line service-selector-no-match\n {4}app: webb/);
    });
  }

  /** The quick fixes of the one finding of `file` with `code`, once published. */
  async function fixesOf(file: string, code: string): Promise<CodeAction[]> {
    const published = await session.waitForDiagnostics(file, code, (list) => list.some((item) => item.code === code));
    const diagnostic = published.find((item) => item.code === code)!;
    const result = await session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: session.uri(file) }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
    return (result ?? []) as CodeAction[];
  }

  it('keeps a .json manifest JSON, and offers no comment there', async () => {
    const file = 'shop/services/api.json';
    let text = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api", "namespace": "shop"},\n "spec": {"selector": {"app": "weeb"}, "ports": [{"port": 80, "targetPort": "htp"}]}}\n';
    await session.open(file, text);
    for (const [code, title] of [
      ['service-selector-no-match', 'Select app=web (the label of Deployment/web)'],
      ['service-target-port-unresolved', 'Set targetPort to http'],
    ] as const) {
      const actions = await fixesOf(file, code);
      assert.equal(actions[0]?.title, title);
      assert.ok(!actions.some((action) => /^Disable /.test(action.title)), 'no suppression comment: JSON holds none');
      text = applyTextEdits(text, actions[0]!.edit!.changes![session.uri(file)]!);
      assert.doesNotThrow(() => JSON.parse(text), `still JSON: ${text}`);
      await session.replace(file, text);
    }
    assert.match(text, /"selector": \{"app": "web"\}, "ports": \[\{"port": 80, "targetPort": "http"\}\]/);
    const version = await session.replace(file, text);
    assert.deepEqual(await session.waitForVersion(file, version), []);
  });

  it('adds a line after the comment that ends the line before it', async () => {
    const file = 'shop/services/commented.yaml';
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api # the API\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n';
    await session.open(file, text);
    const actions = await fixesOf(file, 'service-selector-other-namespace');
    const namespace = /^Move Service\/api to namespace (\S+)$/.exec(actions[0]?.title ?? '')?.[1];
    assert.ok(namespace, actions[0]?.title);
    const fixed = applyTextEdits(text, actions[0]!.edit!.changes![session.uri(file)]!);
    assert.equal(fixed, text.replace('  name: api # the API\n', `  name: api # the API\n  namespace: ${namespace}\n`));
    const version = await session.replace(file, fixed);
    assert.deepEqual(await session.waitForVersion(file, version), []);
  });

  it('no actions where there is no finding', async () => {
    const text = session.read(FILE);
    await session.open(FILE, text);
    const result = await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: session.uri(FILE) },
      range: { start: positionAt(text, 0), end: positionAt(text, 5) },
      context: { diagnostics: [] },
    });
    assert.deepEqual(result, []);
  });
});
