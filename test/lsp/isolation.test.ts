/**
 * Crash isolation and a read-only server:
 * - a rule that throws is caught and reported by the engine, logged by the server, and the other
 *   rules' findings still arrive;
 * - a file the engine fails on is left out (no stale findings) while every other file is analysed;
 * - a failing or meaningless request answers an empty result, never a stale one;
 * - the server never writes inside the workspace.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FileChangeType, HoverRequest, MessageType } from 'vscode-languageserver-protocol/node';
import { serviceSelectorNoMatch } from '../../server/src/engine/rules/service-selector-no-match';
import { TestHost } from '../support/testHost';
import { linkedPair } from '../fuzz/hostileText';
import { REPO_ROOT } from '../support/paths';
import { launchServer, positionOf, withSession, type LspClient } from './harness';

const UNMATCHED = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  selector:\n    app: nobody\n  ports:\n  - port: 80\n';
const MISMATCHED_WORKLOAD =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: odd\nspec:\n  selector:\n    matchLabels:\n      app: one\n  template:\n    metadata:\n      labels:\n        app: two\n    spec:\n      containers:\n      - name: main\n';

/** A marker line that makes the patched engine of the bootstrap below fail on a file. */
const ENGINE_FAILURE_MARKER = '# injected-engine-failure';

function codes(workspace: TestHost, fileId: string): string[] {
  return workspace.findings(fileId).map((finding) => finding.ruleId);
}

describe('a rule that throws (engine)', () => {
  it('is reported by takeRuleFailures while the other rules still report', () => {
    const original = serviceSelectorNoMatch.check;
    const workspace = new TestHost();
    try {
      serviceSelectorNoMatch.check = () => {
        throw new Error('injected rule failure');
      };
      workspace.setFiles([
        ['lonely.yaml', UNMATCHED],
        ['pair.yaml', linkedPair('pair', undefined)],
        ['odd.yaml', MISMATCHED_WORKLOAD],
      ]);
      assert.deepEqual(codes(workspace, 'lonely.yaml'), [], 'the failing rule reports nothing');
      assert.deepEqual(codes(workspace, 'pair.yaml'), ['service-target-port-unresolved']);
      assert.deepEqual(codes(workspace, 'odd.yaml'), ['workload-selector-mismatch']);
      const failures = workspace.takeRuleFailures();
      assert.ok(failures.length >= 2, `one failure per Service evaluated: ${failures.length}`);
      for (const failure of failures) assert.match(failure, /^Rule service-selector-no-match failed: Error: injected rule failure/);
      assert.deepEqual(workspace.takeRuleFailures(), [], 'failures are handed out once');
    } finally {
      serviceSelectorNoMatch.check = original;
    }
    // Restored: the next analysis reports the finding again.
    workspace.setFile('lonely.yaml', `${UNMATCHED}\n`);
    assert.deepEqual(codes(workspace, 'lonely.yaml'), ['service-selector-no-match']);
    assert.deepEqual(workspace.takeRuleFailures(), []);
  });
});

/**
 * Starts the server from its sources (through tsx) with a throwing rule and an engine that fails
 * on files holding the marker: the real server code around an engine that misbehaves.
 */
function writeBootstrap(directory: string): string {
  const source = (relative: string): string => JSON.stringify(path.join(REPO_ROOT, relative));
  const bootstrap = path.join(directory, 'bootstrap.cjs');
  fs.writeFileSync(
    bootstrap,
    [
      `const rules = require(${source('server/src/engine/rules/service-selector-no-match.ts')});`,
      `rules.serviceSelectorNoMatch.check = () => { throw new Error('injected rule failure'); };`,
      `const { AnalysisHost } = require(${source('server/src/engine/analysis/host.ts')});`,
      `const marked = (text) => typeof text === 'string' && text.includes(${JSON.stringify(ENGINE_FAILURE_MARKER)});`,
      `const applyChange = AnalysisHost.prototype.applyChange;`,
      `AnalysisHost.prototype.applyChange = function (change) { if ((change.files ?? []).some((file) => marked(file.text))) throw new Error('injected engine failure'); return applyChange.call(this, change); };`,
      // The scan applies its load in steps: the failure is injected into the first step.
      `const applyChangeInSteps = AnalysisHost.prototype.applyChangeInSteps;`,
      `AnalysisHost.prototype.applyChangeInSteps = function (change) { if ((change.files ?? []).some((file) => marked(file.text))) return { step() { throw new Error('injected engine failure'); } }; return applyChangeInSteps.call(this, change); };`,
      `require(${source('server/src/lsp/main.ts')});`,
      '',
    ].join('\n'),
  );
  return bootstrap;
}

describe('failures inside the server', () => {
  it('logs a throwing rule and a failing file, keeps the other findings, and shows no stale findings', { timeout: 90_000 }, async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-isolation-')));
    const support = fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-bootstrap-'));
    let server: LspClient | undefined;
    try {
      fs.writeFileSync(path.join(root, 'lonely.yaml'), UNMATCHED);
      fs.writeFileSync(path.join(root, 'pair.yaml'), linkedPair('pair', undefined));
      fs.writeFileSync(path.join(root, 'odd.yaml'), MISMATCHED_WORKLOAD);
      fs.writeFileSync(path.join(root, 'poison.yaml'), `${ENGINE_FAILURE_MARKER}\n${linkedPair('poison', 'elsewhere')}`);
      // The server's working directory is the workspace: tsx is loaded by its path.
      const tsx = pathToFileURL(require.resolve('tsx')).href;
      server = await launchServer({ root, nodeArguments: ['--import', tsx, writeBootstrap(support)] });
      const live = server;
      await live.waitForScans(1, 60_000);
      const published = (relative: string): string[] => (live.diagnostics.get(live.uri(relative))?.diagnostics ?? []).map((diagnostic) => String(diagnostic.code));

      // The throwing rule is logged as an error; the other rules' findings arrive.
      await live.waitFor('findings of the other rules', () => published('pair.yaml').length > 0 && published('odd.yaml').length > 0);
      assert.deepEqual(published('pair.yaml'), ['service-target-port-unresolved']);
      assert.deepEqual(published('odd.yaml'), ['workload-selector-mismatch']);
      assert.deepEqual(published('lonely.yaml'), []);
      assert.ok(live.errors.some((message) => /^Rule service-selector-no-match failed: Error: injected rule failure/.test(message)), 'the rule failure is logged');

      // The file the engine fails on is left out and logged; the scan analysed every other file.
      assert.deepEqual(published('poison.yaml'), []);
      assert.ok(live.errors.some((message) => /^Analysing poison\.yaml failed; it is left out: Error: injected engine failure/.test(message)), 'the failing file is logged');

      // An open document that starts failing loses its findings instead of keeping stale ones.
      const editorText = linkedPair('edited', 'editing');
      await live.open('edited.yaml', editorText);
      await live.waitFor('findings of the open document', () => published('edited.yaml').length > 0);
      const broken = live.change('edited.yaml', [{ text: `${ENGINE_FAILURE_MARKER}\n${editorText}` }]);
      await live.waitFor('the failing version published empty', () => live.diagnostics.get(live.uri('edited.yaml'))?.version === broken.version);
      assert.deepEqual(published('edited.yaml'), []);
      const hover = await live.hover('edited.yaml', { line: 4, character: 10 });
      assert.equal(hover, null, 'no hover from a file left out');

      // Fixed again: analysed again.
      const fixed = live.change('edited.yaml', [{ text: editorText }]);
      await live.waitFor('the fixed version', () => live.diagnostics.get(live.uri('edited.yaml'))?.version === fixed.version);
      assert.deepEqual(published('edited.yaml'), ['service-target-port-unresolved']);
      assert.deepEqual(
        live.logs.filter((entry) => entry.type === MessageType.Error && !/injected (rule|engine) failure/.test(entry.message)).map((entry) => entry.message),
        [],
        'nothing else failed',
      );
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(support, { recursive: true, force: true });
    }
  });
});

describe('requests that cannot be answered', () => {
  const SERVICE = 'services/web-service.yaml';

  it('answer an empty result, never a stale one, and the server keeps serving', async () => {
    await withSession({ fixture: 'shop' }, async (session) => {
      const text = session.read(SERVICE);
      const onName = positionOf(text, 'name: web', 0, 'name: '.length);
      assert.match((await session.hoverText(SERVICE, onName)) ?? '', /web/, 'a real hover first');

      // Past the end of the file, and far outside any line.
      assert.equal(await session.hover(SERVICE, { line: 10_000, character: 10_000 }), null);
      assert.equal(await session.hover(SERVICE, { line: 0, character: 100_000 }), null);
      // A file that does not exist, and a scheme the server does not read.
      assert.equal(await session.hover('services/missing.yaml', onName), null);
      assert.equal(await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'untitled:Untitled-1' }, position: onName }), null);
      // Malformed parameters make the handler throw: logged, answered with null.
      const malformed = await session.connection.sendRequest('textDocument/hover', { textDocument: { uri: 42 }, position: onName });
      assert.equal(malformed, null);
      await session.waitFor('the failure logged', () => session.errors.some((message) => message.startsWith('textDocument/hover failed')));

      // The hovered Service disappears from the editor's text: no hover, not the previous one.
      await session.open(SERVICE);
      const version = await session.replace(SERVICE, '# nothing here any more\n');
      await session.waitForVersion(SERVICE, version);
      assert.equal(await session.hover(SERVICE, onName), null);

      // Still serving: the text comes back and so does the hover.
      const restored = await session.replace(SERVICE, text);
      await session.waitForVersion(SERVICE, restored);
      assert.match((await session.hoverText(SERVICE, onName)) ?? '', /web/);
    });
  });
});

interface Entry {
  readonly kind: 'file' | 'directory' | 'link';
  readonly size: number;
  readonly mtimeMs: number;
}

/** Every path below `root` with its kind, size and modification time (links not followed). */
function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const visit = (relative: string): void => {
    const stats = fs.lstatSync(path.join(root, relative));
    const kind = stats.isSymbolicLink() ? 'link' : stats.isDirectory() ? 'directory' : 'file';
    out.set(relative, { kind, size: kind === 'directory' ? 0 : stats.size, mtimeMs: stats.mtimeMs });
    if (kind === 'directory') for (const name of fs.readdirSync(path.join(root, relative)).sort()) visit(path.join(relative, name));
  };
  visit('.');
  return out;
}

describe('the workspace on disk', () => {
  it('is never written by the server: scans, edits, hovers, settings and folder changes leave every file as it was', { timeout: 90_000 }, async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-readonly-')));
    let server: LspClient | undefined;
    try {
      fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'lsp', 'shop'), root, { recursive: true });
      fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(root, 'examples'), { recursive: true });
      fs.writeFileSync(path.join(root, 'pair.yaml'), linkedPair('pair', 'shop'));
      fs.symlinkSync(root, path.join(root, 'loop'), 'dir');
      const before = snapshot(root);

      server = await launchServer({ root });
      const live = server;
      await live.waitForScans(1);
      // Edits in the editor (never saved), hovers, a file closed again.
      const text = fs.readFileSync(path.join(root, 'pair.yaml'), 'utf8');
      await live.open('pair.yaml', text);
      const edit = live.change('pair.yaml', [{ text: text.replace('targetPort: http', 'targetPort: web') }]);
      await live.waitFor('the edit analysed', () => live.diagnostics.get(live.uri('pair.yaml'))?.version === edit.version);
      assert.notEqual(await live.hover('pair.yaml', positionOf(text, 'name: pair', 0, 6)), null);
      await live.connection.sendNotification('textDocument/didClose', { textDocument: { uri: live.uri('pair.yaml') } });
      // Settings: severities and exclude globs (a rescan), then back.
      live.settings = { rules: { 'service-selector-no-match': 'error' }, exclude: ['examples/**'] };
      await live.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await live.waitForScans(2);
      live.settings = {};
      await live.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await live.waitForScans(3);
      // Watched-file events for files that did not change, and a folder added and removed.
      await live.notifyWatched([{ relative: 'pair.yaml', type: FileChangeType.Changed }]);
      await live.changeFolders(['examples'], []);
      await live.waitForScans(4);
      await live.changeFolders([], ['examples']);
      await live.waitForScans(5);
      await live.dispose();
      server = undefined;

      const after = snapshot(root);
      assert.deepEqual([...after.keys()].filter((entry) => !before.has(entry)), [], 'no new files or folders');
      assert.deepEqual(after, before, 'every path keeps its kind, size and modification time');
      assert.ok(before.size > 20, 'the workspace has content to protect');
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
