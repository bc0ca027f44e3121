/**
 * Races against the real server: 1,000 edits sent in one burst, files deleted and renamed on disk
 * while the initial scan runs, workspace folders added and removed while it runs. Whatever the
 * interleaving, the diagnostics finally published equal a from-scratch analysis of the final files
 * by the engine (rule, file and range of every finding).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestHost } from '../support/testHost';
import { REPO_ROOT } from '../support/paths';
import { Random } from '../support/random';
import { writeShape } from '../support/shapes';
import { launchServer, withSession, type LspClient } from './harness';

/** What the server skips, mirrored for the expected analysis. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MANIFEST = /\.(ya?ml|json)$/i;
const ALWAYS_EXCLUDED = new Set(['node_modules', '.git']);

const SCAN_TIMEOUT_MS = 120_000;

type FindingKeys = Map<string, string[]>;

/**
 * `rule@line:character-line:character` of every finding, per file URI, from a fresh engine run per
 * folder over the files on disk, with open documents' texts (by URI) in place of the disk's.
 */
function expectedFindings(root: string, folders: readonly string[], open: ReadonlyMap<string, string>): FindingKeys {
  const roots = folders.map((folder) => path.join(root, folder));
  const out: FindingKeys = new Map();
  for (const folder of roots) {
    const workspace = new TestHost();
    const files: [string, string][] = [];
    const walk = (directory: string): void => {
      for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
        const entryPath = path.join(directory, entry.name);
        if (entry.isDirectory()) {
          // A nested workspace folder is its own universe.
          if (!ALWAYS_EXCLUDED.has(entry.name) && !roots.includes(entryPath)) walk(entryPath);
        } else if (entry.isFile() && MANIFEST.test(entry.name)) {
          const bytes = fs.readFileSync(entryPath);
          if (bytes.length > MAX_FILE_BYTES || bytes.subarray(0, 8192).includes(0)) continue;
          const uri = pathToFileURL(entryPath).href;
          const text = open.get(uri) ?? bytes.toString('utf8');
          files.push([uri, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text]);
        }
      }
    };
    walk(folder);
    workspace.setFiles(files);
    for (const [uri] of files) {
      const keys = workspace.findings(uri).map((finding) => {
        const start = workspace.positionAt(uri, finding.span.start);
        const end = workspace.positionAt(uri, finding.span.end);
        return `${finding.ruleId}@${start.line}:${start.character}-${end.line}:${end.character}`;
      });
      if (keys.length > 0) out.set(uri, keys.sort());
    }
  }
  return out;
}

function publishedFindings(server: LspClient): FindingKeys {
  const out: FindingKeys = new Map();
  for (const [uri, published] of server.diagnostics) {
    const keys = published.diagnostics.map((diagnostic: Diagnostic) => {
      const { start, end } = diagnostic.range;
      return `${String(diagnostic.code)}@${start.line}:${start.character}-${end.line}:${end.character}`;
    });
    if (keys.length > 0) out.set(uri, keys.sort());
  }
  return out;
}

/** Files whose published findings differ from the expected ones, with both sides. */
function differences(expected: FindingKeys, actual: FindingKeys, root: string): string[] {
  const out: string[] = [];
  for (const uri of new Set([...expected.keys(), ...actual.keys()])) {
    const want = JSON.stringify(expected.get(uri) ?? []);
    const got = JSON.stringify(actual.get(uri) ?? []);
    if (want !== got) out.push(`${path.relative(root, new URL(uri).pathname)}: expected ${want}, published ${got}`);
  }
  return out.sort();
}

let barriers = 0;

/**
 * Waits until the server has applied everything sent so far: a file created and then deleted on
 * disk goes through the same queue as every disk event, and its diagnostics are published after
 * everything queued before it.
 */
async function settle(server: LspClient, folder: string): Promise<void> {
  const relative = path.join(folder, `zz-barrier-${++barriers}.yaml`);
  const uri = server.uri(relative);
  fs.writeFileSync(server.path(relative), `apiVersion: v1\nkind: Service\nmetadata:\n  name: barrier\nspec:\n  selector:\n    barrier-${barriers}: "yes"\n`);
  await server.notifyWatched([{ relative, type: FileChangeType.Created }]);
  await server.waitFor(`barrier ${relative} published`, () => (server.diagnostics.get(uri)?.diagnostics.length ?? 0) > 0);
  fs.rmSync(server.path(relative));
  await server.notifyWatched([{ relative, type: FileChangeType.Deleted }]);
  await server.waitFor(`barrier ${relative} cleared`, () => server.diagnostics.get(uri)?.diagnostics.length === 0);
}

/** Settles, then checks that the last published diagnostics equal a from-scratch analysis. */
async function assertFromScratch(server: LspClient, folders: readonly string[], open: ReadonlyMap<string, string> = new Map()): Promise<void> {
  await settle(server, folders[0]!);
  const expected = expectedFindings(server.root, folders, open);
  const diff = differences(expected, publishedFindings(server), server.root);
  assert.deepEqual(diff, [], `published diagnostics differ from a from-scratch analysis:\n${diff.join('\n')}`);
  assert.ok(expected.size > 0, 'the workspace has findings to compare');
  assert.deepEqual(server.errors, []);
}

function temporaryRoot(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-races-')));
}

function write(root: string, relative: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), text);
}

function service(name: string, app: string, targetPort: string, namespace = 'shop'): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    app: ${app}\n  ports:\n  - port: 80\n    targetPort: ${targetPort}\n`;
}

function deployment(name: string, app: string, portName: string, namespace = 'shop'): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n      - name: main\n        ports:\n        - name: ${portName}\n          containerPort: 8080\n`;
}

describe('races', () => {
  it('1,000 edits in a burst end in the diagnostics of a from-scratch analysis', { timeout: 120_000 }, async () => {
    const root = temporaryRoot();
    let server: LspClient | undefined;
    try {
      write(root, 'services/web.yaml', service('web', 'web', 'http'));
      write(root, 'services/api.yaml', service('api', 'api', 'grpc'));
      write(root, 'apps/api.yaml', deployment('api', 'api', 'grpc'));
      const edited = 'apps/web.yaml';
      const initial = deployment('web', 'web', 'http');
      write(root, edited, initial);
      server = await launchServer({ root });
      const live = server;
      await live.waitForScans(1, SCAN_TIMEOUT_MS);
      await live.open(edited, initial);

      // Edits replace a label value or a port name (links break and mend in other files), type or
      // delete single characters (the YAML breaks for a while), or replace the whole text.
      const random = new Random(1_000);
      let document = TextDocument.create(live.uri(edited), 'yaml', 1, initial);
      const values = ['web', 'api', 'webb', 'http', 'grpc', 'metrics', 'we', ''];
      const sent: Promise<void>[] = [];
      let version = 1;
      for (let index = 0; index < 1_000; index++) {
        const text = document.getText();
        const choice = random.int(10);
        let change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } | { text: string };
        if (choice < 6) {
          const slots = [...text.matchAll(/(?:app|name): ([\w-]*)$/gm)];
          const slot = slots.length > 0 ? random.pick(slots) : undefined;
          if (slot?.index !== undefined) {
            const start = slot.index + slot[0].length - slot[1]!.length;
            change = { range: { start: document.positionAt(start), end: document.positionAt(start + slot[1]!.length) }, text: random.pick(values) };
          } else {
            change = { text: initial };
          }
        } else if (choice < 9) {
          const at = random.int(text.length + 1);
          const remove = random.int(2) === 0 ? 0 : Math.min(1, text.length - at);
          change = { range: { start: document.positionAt(at), end: document.positionAt(at + remove) }, text: remove === 0 ? random.pick([' ', ':', '-', 'x', '\n']) : '' };
        } else {
          change = { text: random.int(2) === 0 ? initial : deployment('web', random.pick(values), random.pick(values)) };
        }
        const { version: next, sent: written } = live.change(edited, [change]);
        version = next;
        sent.push(written);
        document = TextDocument.update(document, [change], version);
      }
      await Promise.all(sent);
      await live.waitFor(`diagnostics of version ${version}`, () => live.diagnostics.get(live.uri(edited))?.version === version);

      // The open document's final text stands in for the disk in the from-scratch analysis.
      await assertFromScratch(live, ['.'], new Map([[live.uri(edited), document.getText()]]));
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('files deleted and renamed during the initial scan end in a from-scratch analysis', { timeout: 180_000 }, async () => {
    const root = temporaryRoot();
    let server: LspClient | undefined;
    try {
      const generator = path.join(REPO_ROOT, '..', 'shared', 'bench', 'gen-workspace.mjs');
      execFileSync(process.execPath, [generator, '--out', path.join(root, 'generated'), '--services', '1500', '--seed', 'races', '--faults', '0.2', '--quiet'], { stdio: 'pipe' });
      fs.rmSync(path.join(root, 'generated', 'expected.json'));
      const files = listManifests(root);
      const random = new Random(7);
      // Mutations in rounds, each on the next progress report: deletions, renames within and across
      // folders, a folder deleted and a folder renamed (reported as the folder only, as editors do).
      const rounds: (() => { relative: string; type: FileChangeType }[])[] = [];
      for (let round = 0; round < 12; round++) {
        rounds.push(() => {
          const events: { relative: string; type: FileChangeType }[] = [];
          for (let count = 0; count < 8 && files.length > 2; count++) {
            const relative = files.splice(random.int(files.length), 1)[0]!;
            if (!fs.existsSync(path.join(root, relative))) continue;
            if (random.int(2) === 0) {
              fs.rmSync(path.join(root, relative));
              events.push({ relative, type: FileChangeType.Deleted });
            } else {
              const target = path.join(path.dirname(random.pick(files)), `renamed-${round}-${count}.yaml`);
              fs.renameSync(path.join(root, relative), path.join(root, target));
              events.push({ relative, type: FileChangeType.Deleted }, { relative: target, type: FileChangeType.Created });
            }
          }
          return events;
        });
      }
      rounds.push(() => folderMove(root, files, random));
      server = await launchServer({ root });
      const live = server;
      let mutatedDuringScan = 0;
      for (const [index, round] of rounds.entries()) {
        await live.waitFor(`progress report ${index + 1}`, () => live.finishedScans > 0 || live.progress.length > index + 1);
        if (live.finishedScans === 0) mutatedDuringScan++;
        await live.notifyWatched(round());
      }
      assert.ok(mutatedDuringScan > 0, 'some mutations happened while the scan ran');
      await live.waitForScans(1, SCAN_TIMEOUT_MS);
      await assertFromScratch(live, ['.']);
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('500 identical files edited during the scan end in a from-scratch analysis', { timeout: 180_000 }, async () => {
    const root = temporaryRoot();
    let server: LspClient | undefined;
    try {
      writeShape('duplicates', 500, root);
      const random = new Random(11);
      server = await launchServer({ root });
      const live = server;
      let mutatedDuringScan = 0;
      for (let round = 0; round < 10; round++) {
        await live.waitFor(`progress report ${round + 1}`, () => live.finishedScans > 0 || live.progress.length > round + 1);
        if (live.finishedScans === 0) mutatedDuringScan++;
        const events: { relative: string; type: FileChangeType }[] = [];
        for (let count = 0; count < 5; count++) {
          // Matching, one character off another way, or the first copy's twin: nearest misses and ties move.
          const relative = `web-${String(random.int(500)).padStart(3, '0')}.yaml`;
          const value = random.pick(['web', 'wex', 'webb', 'we']);
          write(root, relative, fs.readFileSync(path.join(root, relative), 'utf8').replace(/app: webb?\b|app: wex\b|app: we\b/, `app: ${value}`));
          events.push({ relative, type: FileChangeType.Changed });
        }
        await live.notifyWatched(events);
      }
      assert.ok(mutatedDuringScan > 0, 'some edits happened while the scan ran');
      await live.waitForScans(1, SCAN_TIMEOUT_MS);
      await assertFromScratch(live, ['.']);
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('workspace folders added and removed during the scan end in from-scratch analyses per folder', { timeout: 120_000 }, async () => {
    const root = temporaryRoot();
    let server: LspClient | undefined;
    try {
      // Folder a: a Service whose Deployment lives in folder c (another universe: no match) and
      // a linked pair in a nested folder a/inner; folder b: a broken pair; fillers to make the scan last.
      write(root, 'a/service.yaml', service('cross', 'cross', 'http'));
      write(root, 'a/inner/service.yaml', service('inner', 'inner', 'http'));
      write(root, 'a/inner/deployment.yaml', deployment('inner', 'inner', 'web'));
      write(root, 'b/service.yaml', service('gone', 'gone', 'http'));
      write(root, 'c/deployment.yaml', deployment('cross', 'cross', 'http'));
      write(root, 'c/service.yaml', service('local', 'nothing', 'http'));
      for (let index = 0; index < 3_000; index++) {
        write(root, `${['a', 'b', 'c'][index % 3]}/filler/${index}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler-${index}\n`);
      }
      server = await launchServer({ root, folders: ['a', 'b'] });
      const live = server;
      await live.waitFor('a progress report', () => live.progress.length > 1);
      await live.changeFolders(['c', 'a/inner'], ['b']);
      await live.waitForScans(2, SCAN_TIMEOUT_MS);
      await assertFromScratch(live, ['a', 'a/inner', 'c']);
      assert.equal(live.diagnostics.get(live.uri('b/service.yaml'))?.diagnostics.length ?? 0, 0, 'the removed folder is cleared');

      // The nested folder goes away again: its files fall back to folder a.
      await live.changeFolders([], ['a/inner']);
      await live.waitForScans(3, SCAN_TIMEOUT_MS);
      await assertFromScratch(live, ['a', 'c']);
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('start-up', () => {
  it('indexes a one-folder workspace once when the client announces its settings after initialized and at registration, as VS Code does', { timeout: 60_000 }, async () => {
    // VS Code's files.exclude has entries by default, so the settings read at start differ from the built-in defaults.
    const options = { fixture: 'shop', filesExclude: { '**/.git': true, '**/.DS_Store': true }, announceSettings: true };
    await withSession(options, async (session) => {
      assert.ok(
        session.registrations.some((registration) => registration.method === 'workspace/didChangeConfiguration'),
        'the server registered for settings changes, so the client announced its settings',
      );
      // Three settings reads (start-up and the two announcements), each asking for the settings
      // without a scope and of the folder; the scans they lead to are queued once they are answered.
      await session.waitFor('six workspace/configuration requests', () => session.configurationRequests >= 6);
      // Closing a document is applied in order after every scan queued before it: once the closed
      // document (not on disk) is cleared, a second start-up scan would have run.
      await session.open('services/barrier.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: barrier\nspec:\n  selector:\n    app: none\n');
      await session.waitForDiagnostics('services/barrier.yaml', 'a finding', (diagnostics) => diagnostics.length > 0);
      await session.close('services/barrier.yaml');
      await session.waitForDiagnostics('services/barrier.yaml', 'cleared after close', (diagnostics) => diagnostics.length === 0);
      const indexed = session.logs.filter((entry) => /^Indexed \d+ manifest files? in/.test(entry.message));
      assert.equal(indexed.length, 1, indexed.map((entry) => entry.message).join('\n'));
      assert.equal(session.finishedScans, 1);
      assert.deepEqual(session.errors, []);
    });
  });
});

/** Every manifest below `root`, relative, in name order. */
function listManifests(root: string): string[] {
  const out: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true }).sort((left, right) => left.name.localeCompare(right.name))) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (MANIFEST.test(entry.name)) out.push(child);
    }
  };
  walk('');
  return out;
}

/** Deletes one folder and renames another, reporting only the folders. */
function folderMove(root: string, files: string[], random: Random): { relative: string; type: FileChangeType }[] {
  const folders = [...new Set(files.map((file) => path.dirname(file)))].filter((folder) => folder !== '.' && folder.includes(path.sep));
  if (folders.length < 2) return [];
  const deleted = folders.splice(random.int(folders.length), 1)[0]!;
  const moved = random.pick(folders.filter((folder) => !folder.startsWith(deleted) && !deleted.startsWith(folder)));
  const target = `${moved}-moved`;
  fs.rmSync(path.join(root, deleted), { recursive: true, force: true });
  fs.renameSync(path.join(root, moved), path.join(root, target));
  return [
    { relative: deleted, type: FileChangeType.Deleted },
    { relative: moved, type: FileChangeType.Deleted },
    { relative: target, type: FileChangeType.Created },
  ];
}
