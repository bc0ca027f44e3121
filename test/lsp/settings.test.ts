/**
 * Settings: rule severities (including `off`) and exclude globs, read per workspace folder through
 * `workspace/configuration` and re-read on `workspace/didChangeConfiguration`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { withSession } from './harness';

const ORPHAN = 'services/orphan-service.yaml';
const NO_MATCH = 'service-selector-no-match';
const hasNoMatch = (list: readonly { code?: number | string }[]): boolean => list.some((diagnostic) => diagnostic.code === NO_MATCH);

describe('settings', () => {
  it('turns a rule off, back on, and changes its severity', async () => {
    await withSession({ fixture: 'shop' }, async (session) => {
      await session.waitForDiagnostics(ORPHAN, 'the finding', hasNoMatch);
      await session.changeSettings({ rules: { [NO_MATCH]: 'off' } });
      await session.waitForDiagnostics(ORPHAN, 'no finding with the rule off', (list) => !hasNoMatch(list));
      await session.changeSettings({ rules: { [NO_MATCH]: 'error' } });
      const diagnostics = await session.waitForDiagnostics(ORPHAN, 'the finding again', hasNoMatch);
      assert.equal(diagnostics.find((diagnostic) => diagnostic.code === NO_MATCH)?.severity, DiagnosticSeverity.Error);
    });
  });

  it('applies settings given at start-up', async () => {
    await withSession({ fixture: 'shop', settings: { rules: { [NO_MATCH]: 'off' }, exclude: ['chart/**'] } }, async (session) => {
      // The scan is over and every file of the universe was published once: the orphan Service has nothing to report.
      assert.equal(session.diagnostics.get(session.uri(ORPHAN))?.count, 1);
      assert.deepEqual(session.diagnosticsOf(ORPHAN), []);
      // An excluded folder is not even read, so its templates are not logged as skipped.
      assert.ok(!session.logs.some((entry) => entry.message.includes('chart/templates')), JSON.stringify(session.logs));
    });
  });

  it('rescans when exclude globs change (serviceLens.exclude and files.exclude)', async () => {
    await withSession({ fixture: 'shop' }, async (session) => {
      await session.waitForDiagnostics(ORPHAN, 'the finding', hasNoMatch);
      await session.changeSettings({ exclude: ['services/orphan-*.yaml'] });
      await session.waitForScans(2);
      await session.waitForDiagnostics(ORPHAN, 'cleared once excluded', (list) => list.length === 0);
      // Excluding the Deployment through files.exclude leaves Service/web without a match.
      await session.changeSettings({}, { '**/apps': true, '**/other': false });
      await session.waitForScans(3);
      await session.waitForDiagnostics(ORPHAN, 'back once included again', hasNoMatch);
      await session.waitForDiagnostics('services/web-service.yaml', 'no match without the Deployment', hasNoMatch);
      assert.deepEqual(session.errors, []);
    });
  });

  it('uses the configured default namespace and cluster domain', async () => {
    await withSession({ fixture: 'shop', settings: { clusterDomain: 'example.internal', defaultNamespace: 'staging' } }, async (session) => {
      const text = session.read('services/web-service.yaml');
      const line = text.split('\n').indexOf('  name: web');
      const value = await session.hoverText('services/web-service.yaml', { line, character: 9 });
      assert.match(value ?? '', /web\.shop\.svc\.example\.internal/);
      // Without metadata.namespace an object lives in the default namespace.
      const plain = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: plain\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n';
      await session.open('services/plain.yaml', plain);
      const plainHover = await session.hoverText('services/plain.yaml', { line: 3, character: 9 });
      assert.match(plainHover ?? '', /plain\.staging\.svc\.example\.internal/);
      assert.match(plainHover ?? '', /namespace `staging`/);
    });
  });
});
