/**
 * Start-up: the server scans the workspace folder, honours the always-excluded folders, skips what
 * it cannot analyse with a logged reason, and publishes findings for files that are not open.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { LspSession, messageText, withSession } from './harness';

const ORPHAN = 'services/orphan-service.yaml';
const UNMATCHED_SERVICE = (name: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: nothing-here\n  ports:\n    - port: 80\n`;

/** Files the scan must leave out or skip, written into the copy (node_modules and .git are not kept in fixtures). */
function prepare(root: string): void {
  fs.mkdirSync(path.join(root, 'node_modules', 'vendor'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules', 'vendor', 'service.yaml'), UNMATCHED_SERVICE('vendored'));
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.writeFileSync(path.join(root, '.git', 'service.yaml'), UNMATCHED_SERVICE('in-git'));
  // Over the 5 MB limit: a valid manifest padded with a comment, so only the size can skip it.
  fs.writeFileSync(path.join(root, 'huge.yaml'), `${UNMATCHED_SERVICE('huge')}#${'x'.repeat(5 * 1024 * 1024)}\n`);
  // A NUL byte early on marks the file as binary.
  fs.writeFileSync(path.join(root, 'binary.yaml'), Buffer.concat([Buffer.from(UNMATCHED_SERVICE('binary')), Buffer.from([0, 1, 2])]));
  // A symbolic link back to the root: the walk must end and index nothing twice.
  fs.symlinkSync(root, path.join(root, 'services', 'loop'), 'dir');
}

describe('workspace scan', () => {
  let session: LspSession;
  before(async () => {
    session = await LspSession.start({ fixture: 'shop', prepare });
  });
  after(async () => {
    await session?.dispose();
  });

  it('reports progress while indexing', () => {
    const kinds = session.progress.map((value) => value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    const reports = session.progress.filter((value) => value.kind === 'report').map((value) => value.message ?? '');
    assert.ok(reports.some((message) => /\b\d+ files\b/.test(message)), `a report counts files: ${reports.join(' | ')}`);
  });

  it('publishes findings of files that are not open', async () => {
    const diagnostics = await session.waitForDiagnostics(ORPHAN, 'has service-selector-no-match', (list) =>
      list.some((diagnostic) => diagnostic.code === 'service-selector-no-match'),
    );
    assert.equal(diagnostics.length, 1, `one finding: ${JSON.stringify(diagnostics)}`);
    // The matching Service and its Deployment are clean.
    assert.deepEqual(session.codesOf('services/web-service.yaml'), []);
    assert.deepEqual(session.codesOf('apps/web-deployment.yaml'), []);
  });

  it('gives each diagnostic its rule id, documentation link, source, narrow range and related information', async () => {
    const [diagnostic] = await session.waitForDiagnostics(ORPHAN, 'one finding', (list) => list.length === 1);
    assert.ok(diagnostic);
    assert.equal(diagnostic.code, 'service-selector-no-match');
    assert.equal(diagnostic.codeDescription?.href, 'https://github.com/service-lens/service-lens/blob/main/docs/rules/service-selector-no-match.md');
    assert.equal(diagnostic.source, 'service-lens');
    assert.equal(diagnostic.severity, DiagnosticSeverity.Warning);
    assert.match(messageText(diagnostic), /Deployment\/web/, 'the message names the nearest miss');
    // The range lies inside the selector (lines 8–10 of the file, 0-based 7–9), not at column 0 of the document.
    const lines = session.read(ORPHAN).split('\n');
    const selectorLine = lines.indexOf('  selector:');
    const portsLine = lines.indexOf('  ports:');
    assert.ok(diagnostic.range.start.line >= selectorLine && diagnostic.range.end.line < portsLine, `range ${JSON.stringify(diagnostic.range)}`);
    assert.ok(diagnostic.range.start.character > 0);
    const related = diagnostic.relatedInformation ?? [];
    assert.ok(related.length > 0, 'related information points at the nearest miss');
    const deploymentUri = session.uri('apps/web-deployment.yaml');
    assert.ok(related.some((information) => information.location.uri === deploymentUri), JSON.stringify(related));
    const deploymentLines = session.read('apps/web-deployment.yaml').split('\n').length;
    for (const information of related) {
      assert.ok(information.location.range.start.line < deploymentLines);
      assert.ok(information.message.length > 0);
    }
  });

  it('leaves out node_modules, .git, oversized and binary files, and follows a link loop only once', async () => {
    await session.waitForDiagnostics(ORPHAN, 'published', (list) => list.length > 0);
    const published = [...session.diagnostics.keys()].map((uri) => path.relative(session.root, new URL(uri).pathname));
    for (const file of published) {
      assert.ok(!/node_modules|\.git|huge|binary|loop/.test(file), `${file} should not be published`);
    }
    const logs = session.logs.map((entry) => entry.message).join('\n');
    assert.match(logs, /Skipped huge\.yaml: larger than 5\.0 MB/);
    assert.match(logs, /Skipped binary\.yaml: binary content/);
  });

  it('logs Helm templates as skipped instead of reporting them', async () => {
    await session.waitFor('the template skip log', () =>
      session.logs.some((entry) => entry.message.includes('chart/templates/service.yaml') && entry.message.includes('template')),
    );
    assert.deepEqual(session.codesOf('chart/templates/service.yaml'), []);
  });

  it('logs no handler failures', () => {
    assert.deepEqual(session.errors, []);
  });
});

describe('transport', () => {
  it('serves over Node IPC as well, as the VS Code extension starts it', async () => {
    await withSession({ fixture: 'shop', transport: 'ipc' }, async (session) => {
      await session.waitForDiagnostics(ORPHAN, 'has service-selector-no-match', (list) =>
        list.some((diagnostic) => diagnostic.code === 'service-selector-no-match'),
      );
    });
  });
});
