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
