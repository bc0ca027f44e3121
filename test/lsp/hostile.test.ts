/**
 * A hostile workspace against the real server over stdio: 100,000 small files, one 50 MB file,
 * binary files named .yaml, alias bombs, 10,000-level nesting, symbolic link loops, CRLF and BOM
 * files, a Helm chart and YAML that is not Kubernetes (a GitHub workflow, docker-compose, OpenAPI).
 * The server indexes it with bounded memory, skips the oversized file with a logged reason and one
 * notice, answers hover and diagnostics on an open file while the scan runs, and reports exactly
 * the planted faults: nothing on files that are not Kubernetes manifests.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MessageType, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { aliasBomb, aliasBombManifest, linkedPair, nested, nestedJsonManifest, plant } from '../fuzz/hostileText';
import { launchServer, messageText, positionOf, withSession, type LspClient, type LspSession } from './harness';
import { writeShape } from '../support/shapes';

/**
 * The bound stated in docs/limits.md: peak resident memory of the server over this workspace
 * (measured 580–640 MB since the scan hands files over in batches; what the index keeps after the
 * scan did not change).
 */
const MEMORY_BOUND_MB = 700;

const SMALL_FILES = 100_000;
const FILES_PER_DIRECTORY = 100;
/** Files come in groups of four: a Service, its Deployment, a ConfigMap and non-Kubernetes YAML. */
const GROUP = 4;
const NAMESPACES = 50;
/** Every this many groups, the Service's selector misses; half-way, its targetPort does. */
const FAULT_EVERY = 500;

const HUGE_FILE_BYTES = 50 * 1024 * 1024;

/** Generous for two busy cores: scanning takes well under a minute when the machine is idle. */
const SCAN_TIMEOUT_MS = 170_000;

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'hostile');

interface Planted {
  /** Relative path → the rule ids expected on it. */
  readonly faults: Map<string, string[]>;
  readonly generationMs: number;
}

function smallFile(index: number): { relative: string; text: string; fault?: string } {
  const directory = String(Math.floor(index / FILES_PER_DIRECTORY)).padStart(4, '0');
  const relative = `many/${directory}/f${String(index % FILES_PER_DIRECTORY).padStart(2, '0')}.yaml`;
  const group = Math.floor(index / GROUP);
  const app = `app-${group}`;
  const namespace = `ns-${group % NAMESPACES}`;
  switch (index % GROUP) {
    case 0: {
      const missesSelector = group % FAULT_EVERY === 7;
      const missesPort = group % FAULT_EVERY === FAULT_EVERY / 2;
      const selector = missesSelector ? `${app}-typo` : app;
      const targetPort = missesPort ? 'metrics' : 'http';
      const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${namespace}\nspec:\n  selector:\n    app: ${selector}\n  ports:\n  - port: 80\n    targetPort: ${targetPort}\n`;
      const fault = missesSelector ? 'service-selector-no-match' : missesPort ? 'service-target-port-unresolved' : undefined;
      return fault ? { relative, text, fault } : { relative, text };
    }
    case 1:
      return {
        relative,
        text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  namespace: ${namespace}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n      - name: main\n        image: example/${app}:1\n        ports:\n        - name: http\n          containerPort: 8080\n`,
      };
    case 2:
      return { relative, text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}\n  namespace: ${namespace}\ndata:\n  selector: "app=${app}"\n  kind: Service\n` };
    default:
      return { relative, text: `# settings of ${app}\nreplicas: 3\nservice:\n  port: 80\n  selector:\n    app: ${app}\n` };
  }
}

/** Writes the workspace with synchronous calls in tight loops; returns the planted faults. */
function generate(root: string): Planted {
  const started = Date.now();
  const faults = new Map<string, string[]>();
  for (let directory = 0; directory < SMALL_FILES / FILES_PER_DIRECTORY; directory++) {
    fs.mkdirSync(path.join(root, 'many', String(directory).padStart(4, '0')), { recursive: true });
  }
  for (let index = 0; index < SMALL_FILES; index++) {
    const file = smallFile(index);
    fs.writeFileSync(path.join(root, file.relative), file.text);
    if (file.fault) faults.set(file.relative, [file.fault]);
  }

  // One 50 MB file of valid manifests: only its size can keep it out.
  const service = linkedPair('bundled', 'bundle');
  const huge = Buffer.from(`${service}---\n`.repeat(Math.ceil(HUGE_FILE_BYTES / (service.length + 4))));
  write(root, 'big/bundle.yaml', huge);

  // Binary content named .yaml: a PNG header (NUL bytes), and bytes that are not UTF-8 (no NUL).
  write(root, 'binary/image.yaml', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
  write(root, 'binary/latin.yaml', Buffer.from(Array.from({ length: 4096 }, (_, index) => 0x80 + (index % 0x7f))));

  // Alias bombs: billion laughs in sequences and maps, planted where the rules read.
  write(root, 'bombs/laughs.yaml', `x-bomb:\n${aliasBomb(10, 10).replace(/^/gm, '  ')}\n${plant('selector', '*l10', true)}`);
  write(root, 'bombs/map.yaml', aliasBombManifest(9, 9));

  // 10,000 levels of nesting in every compact style, and 2,000 levels of block maps (2 MB).
  write(root, 'deep/flow-map.yaml', plant('selector', nested(10_000, 'flow-map'), true));
  write(root, 'deep/flow-seq.yaml', plant('ports', nested(10_000, 'flow-seq'), true));
  write(root, 'deep/block-seq.yaml', plant('containers', nested(10_000, 'block-seq'), false));
  write(root, 'deep/block-map.yaml', plant('labels', nested(2_000, 'block-map'), false));
  // The block maps are read: the template's labels are that nested map, so its own selector misses them.
  faults.set('deep/block-map.yaml', ['workload-selector-mismatch']);
  write(root, 'deep/nested.json', nestedJsonManifest(10_000));

  // Symbolic link loops: a folder linking to its parent, two folders linking to each other, a file linking to itself.
  fs.mkdirSync(path.join(root, 'loops', 'a'), { recursive: true });
  fs.mkdirSync(path.join(root, 'loops', 'b'), { recursive: true });
  fs.symlinkSync(path.join(root, 'loops'), path.join(root, 'loops', 'a', 'up'), 'dir');
  fs.symlinkSync(path.join(root, 'loops', 'b'), path.join(root, 'loops', 'a', 'to-b'), 'dir');
  fs.symlinkSync(path.join(root, 'loops', 'a'), path.join(root, 'loops', 'b', 'to-a'), 'dir');
  fs.symlinkSync(path.join(root, 'loops', 'self.yaml'), path.join(root, 'loops', 'self.yaml'));

  // Line endings and byte order marks: each file has one finding at a known place.
  write(root, 'endings/crlf.yaml', linkedPair('crlf', 'endings').replace(/\n/g, '\r\n'));
  write(root, 'endings/bom.yaml', `\ufeff${linkedPair('bom', 'endings')}`);
  write(root, 'endings/bom-crlf.yaml', `\ufeff${linkedPair('bom-crlf', 'endings').replace(/\n/g, '\r\n')}`);
  for (const name of ['crlf', 'bom', 'bom-crlf']) faults.set(`endings/${name}.yaml`, ['service-target-port-unresolved']);

  // A Helm chart and YAML that is not Kubernetes.
  fs.cpSync(FIXTURES, path.join(root, 'other'), { recursive: true });
  // Its kustomization lists a service.yaml that is not there: kubectl kustomize fails on it.
  faults.set('other/kustomization.yaml', ['kustomize-build-incomplete']);
  return { faults, generationMs: Date.now() - started };
}

function write(root: string, relative: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  fs.writeFileSync(path.join(root, relative), content);
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
}

describe('a hostile workspace', () => {
  it('is indexed with bounded memory, skips what it must, answers during the scan and reports only the planted faults', { timeout: 300_000 }, async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-hostile-')));
    let server: LspClient | undefined;
    try {
      const planted = generate(root);
      const launched = Date.now();
      server = await launchServer({ root });
      const live = server;
      await live.waitFor('the scan to begin', () => live.scanStarted);

      // While the scan runs: open a manifest, get its diagnostics, hover on it, then fix it.
      const opened = 'opened/pair.yaml';
      const openedText = linkedPair('opened', 'editing');
      await live.open(opened, openedText);
      const openedUri = live.uri(opened);
      const first = await live.waitFor('diagnostics of the open file', () => live.diagnostics.get(openedUri)?.version === 1 && live.diagnostics.get(openedUri));
      assert.deepEqual(codes(first.diagnostics), ['service-target-port-unresolved']);
      const hoverSent = Date.now();
      const hover = await live.hover(opened, positionOf(openedText, 'name: opened', 0, 'name: '.length));
      const hoverMs = Date.now() - hoverSent;
      const hoverText = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
      assert.match(hoverText, /opened/, 'the hover describes the Service');
      const fixed = live.change(opened, [{ text: openedText.replace('targetPort: http', 'targetPort: web') }]);
      const second = await live.waitFor('diagnostics of the fixed file', () => live.diagnostics.get(openedUri)?.version === fixed.version && live.diagnostics.get(openedUri));
      assert.deepEqual(second.diagnostics, []);
      const answeredDuringScan = live.finishedScans === 0;
      assert.ok(answeredDuringScan, 'hover and diagnostics were answered before the scan ended');

      await live.waitForScans(1, SCAN_TIMEOUT_MS);
      const scanMs = Date.now() - launched;
      const peakMB = live.peakMemoryMB();

      // Memory: the bound of docs/limits.md.
      assert.ok(peakMB <= MEMORY_BOUND_MB, `peak memory ${peakMB.toFixed(0)} MB is over the ${MEMORY_BOUND_MB} MB bound`);

      // The 50 MB file: a logged reason and one visible notice for the scan.
      const infos = live.logs.filter((entry) => entry.type === MessageType.Info).map((entry) => entry.message);
      assert.ok(infos.some((message) => /^Skipped big\/bundle\.yaml: larger than 5\.0 MB \(50\.0 MB\)/.test(message)), 'the size skip is logged with its reason');
      assert.equal(live.notices.length, 1, `one notice: ${JSON.stringify(live.notices)}`);
      assert.equal(live.notices[0]?.type, MessageType.Warning);
      assert.match(live.notices[0]?.message ?? '', /skipped 1 manifest file larger than 5\.0 MB \(big\/bundle\.yaml\)/);
      assert.ok(infos.some((message) => /^Skipped binary\/image\.yaml: binary content/.test(message)), 'the binary file is logged');
      assert.ok(infos.some((message) => /^binary\/latin\.yaml: not valid UTF-8 at line 1, column 1; .*kubectl kustomize refuses such a file/.test(message)), 'the file that is not UTF-8 is logged with where');
      assert.deepEqual(live.errors, [], 'nothing failed');

      // Exactly the planted faults: nothing on ConfigMaps, values, bombs, deep nesting, Helm, workflows, compose or OpenAPI files.
      const reported = new Map<string, string[]>();
      for (const [uri, published] of live.diagnostics) {
        if (published.diagnostics.length > 0) reported.set(path.relative(root, new URL(uri).pathname), codes(published.diagnostics));
      }
      assert.deepEqual(new Map([...reported].sort()), new Map([...planted.faults].sort()));
      assert.equal(planted.faults.size, (2 * SMALL_FILES) / GROUP / FAULT_EVERY + 5);

      // CRLF and BOM files: the range is where an editor shows `http` (the BOM is not a character of the document).
      for (const name of ['crlf', 'bom', 'bom-crlf']) {
        const text = linkedPair(name, 'endings');
        const start = positionOf(text, 'targetPort: http', 0, 'targetPort: '.length);
        const diagnostic = live.diagnostics.get(live.uri(`endings/${name}.yaml`))?.diagnostics[0];
        assert.deepEqual(diagnostic?.range, { start, end: { line: start.line, character: start.character + 'http'.length } }, name);
      }
      // Every small manifest was indexed: a Service far into the walk resolves its Deployment.
      const lastService = smallFile(SMALL_FILES - GROUP);
      const lastHover = await live.hover(lastService.relative, positionOf(lastService.text, 'name: ', 0, 'name: '.length));
      assert.match(JSON.stringify(lastHover), /Deployment/);

      console.log(
        `hostile workspace: ${SMALL_FILES} small files + 1 × 50 MB; generated in ${(planted.generationMs / 1000).toFixed(1)} s, ` +
          `scanned in ${(scanMs / 1000).toFixed(1)} s, hover during the scan answered in ${hoverMs} ms, peak server memory ${peakMB.toFixed(0)} MB`,
      );
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('does not analyse an editor text over the size limit either, and picks it up again when it shrinks', async () => {
    await withSession({ fixture: 'shop' }, async (session) => {
      const relative = 'services/pasted.yaml';
      const small = linkedPair('pasted', 'shop');
      // A 6 MB paste: the manifest stays valid, only its size is over the limit.
      const huge = `${small}#${'x'.repeat(6 * 1024 * 1024)}\n`;
      await session.open(relative, huge);
      await session.waitForVersion(relative, 1);
      assert.deepEqual(session.diagnosticsOf(relative), []);
      await session.waitFor('the skip logged', () => session.logs.some((entry) => /^Skipped services\/pasted\.yaml: larger than 5\.0 MB \(6\.0 MB\)/.test(entry.message)));
      assert.equal(await session.hover(relative, positionOf(small, 'name: pasted', 0, 6)), null);
      const version = await session.replace(relative, small);
      const diagnostics = await session.waitForVersion(relative, version);
      assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['service-target-port-unresolved']);
    });
  });
});

const UNMATCHED = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: outside\nspec:\n  selector:\n    app: nothing\n';

/** Links that leave the workspace (to /proc, to /, to another folder) and a FIFO, beside an inside link. */
function plantLinks(root: string, outside: string, withRoot: boolean): void {
  fs.writeFileSync(path.join(outside, 'service.yaml'), UNMATCHED);
  fs.symlinkSync('/proc/self/pagemap', path.join(root, 'pagemap.yaml'));
  if (withRoot) fs.symlinkSync('/', path.join(root, 'root'));
  fs.symlinkSync(outside, path.join(root, 'elsewhere'));
  fs.symlinkSync(path.join(outside, 'service.yaml'), path.join(root, 'elsewhere.yaml'));
  fs.symlinkSync(path.join(root, 'services'), path.join(root, 'alias'));
  execFileSync('mkfifo', [path.join(root, 'fifo.yaml')]);
}

function notFollowed(session: LspSession): string[] {
  return session.logs.filter((entry) => entry.message.startsWith('Not following ')).map((entry) => entry.message);
}

describe('reads and links', () => {
  it('reads no /proc file and no FIFO, follows no link out of the folder and logs each such link once', { timeout: 60_000 }, async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-outside-')));
    try {
      await withSession({ fixture: 'shop', prepare: (root) => plantLinks(root, outside, true) }, async (session) => {
        const logged = notFollowed(session);
        const pagemap = logged.find((message) => message.startsWith('Not following pagemap.yaml -> /proc/'));
        assert.ok(pagemap, logged.join('\n'));
        assert.deepEqual(logged.sort(), [
          `Not following elsewhere -> ${outside}: outside the workspace folder.`,
          `Not following elsewhere.yaml -> ${path.join(outside, 'service.yaml')}: outside the workspace folder.`,
          pagemap,
          'Not following root -> /: outside the workspace folder.',
        ].sort());
        // Nothing outside was analysed; the link inside the folder was followed (each real file is read
        // once, under the first path in name order: alias/ comes before services/).
        const published = [...session.diagnostics.keys()].map((uri) => path.relative(session.root, new URL(uri).pathname));
        assert.ok(!published.some((file) => file.startsWith('elsewhere') || file.startsWith('root') || file === 'pagemap.yaml' || file === 'fifo.yaml'), published.join('\n'));
        assert.deepEqual(session.codesOf('alias/orphan-service.yaml'), ['service-selector-no-match']);
        // A disk event on a link out of the folder reads nothing either, and logs nothing new.
        await session.notifyWatched([{ relative: 'elsewhere.yaml', type: 2 }]);
        await session.notifyWatched([{ relative: 'pagemap.yaml', type: 2 }]);
        // Hover on a file that is not open and not in a workspace folder: answered from no disk read.
        const loose = await session.connection.sendRequest('textDocument/hover', {
          textDocument: { uri: `file://${path.join(outside, 'service.yaml')}` },
          position: { line: 3, character: 8 },
        });
        assert.equal(loose, null);
        assert.equal(await session.hover('elsewhere.yaml', { line: 3, character: 8 }), null);
        assert.deepEqual(notFollowed(session).length, 4, 'each link is logged once');
        assert.deepEqual(session.errors, []);
      });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('follows links out of the folder with serviceLens.followSymlinksOutsideWorkspace, never into /proc', { timeout: 60_000 }, async () => {
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-outside-')));
    try {
      const settings = { followSymlinksOutsideWorkspace: true };
      await withSession({ fixture: 'shop', settings, prepare: (root) => plantLinks(root, outside, false) }, async (session) => {
        // The outside file is read once, under its first path in name order (elsewhere.yaml before elsewhere/).
        await session.waitForDiagnostics('elsewhere.yaml', 'the linked Service analysed', (diagnostics) => diagnostics.length > 0);
        assert.deepEqual(notFollowed(session), []);
        assert.equal(session.diagnostics.has(session.uri('pagemap.yaml')), false);
        // Turning the setting off rescans and drops what only the links brought in.
        await session.changeSettings({ followSymlinksOutsideWorkspace: false });
        await session.waitForDiagnostics('elsewhere.yaml', 'dropped', (diagnostics) => diagnostics.length === 0);
        await session.waitFor('the links logged', () => notFollowed(session).length === 3);
        assert.deepEqual(session.errors, []);
      });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('shapes whose cost once grew faster than the workspace', () => {
  /** Generous for two busy cores: both take a few seconds when the machine is idle (docs/limits.md). */
  const SHAPE_SCAN_MS = 60_000;

  it('500 identical files: scanned within the bound, each with its nearest miss, and an edit answers at once', { timeout: 120_000 }, async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-duplicates-')));
    let server: LspClient | undefined;
    try {
      writeShape('duplicates', 500, root);
      const started = Date.now();
      server = await launchServer({ root });
      await server.waitForScans(1, SHAPE_SCAN_MS);
      assert.ok(Date.now() - started < SHAPE_SCAN_MS);
      const published = [...server.diagnostics.values()].filter((entry) => entry.diagnostics.length > 0);
      assert.equal(published.length, 500);
      for (const entry of published) {
        assert.deepEqual(entry.diagnostics.map((diagnostic) => diagnostic.code), ['service-selector-no-match']);
        // Every copy names the first copy's Deployment (file order breaks the tie), one character off.
        assert.match(messageText(entry.diagnostics[0]!), /Deployment\/web has app=web, not app=webb/);
        assert.ok(entry.diagnostics[0]!.relatedInformation?.some((related) => related.location.uri.endsWith('/web-000.yaml')), 'points at the first copy');
      }
      const text = fs.readFileSync(path.join(root, 'web-000.yaml'), 'utf8');
      await server.open('web-000.yaml', text);
      const edited = await server.edit('web-000.yaml', text, 'app: webb', 'app: web');
      const diagnostics = await server.waitForVersion('web-000.yaml', edited.version, 10_000);
      assert.deepEqual(diagnostics, []);
      assert.deepEqual(server.errors, []);
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('one file with 2,000 Service/Deployment pairs: scanned within the bound, every tenth Service names its own Deployment as nearest miss', { timeout: 120_000 }, async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-onefile-')));
    let server: LspClient | undefined;
    try {
      writeShape('onefile', 2000, root);
      server = await launchServer({ root });
      await server.waitForScans(1, SHAPE_SCAN_MS);
      const diagnostics = server.diagnosticsOf('all.yaml').filter((diagnostic) => diagnostic.code === 'service-selector-no-match');
      assert.equal(diagnostics.length, 200);
      for (const [position, diagnostic] of diagnostics.entries()) {
        const index = position * 10;
        assert.match(messageText(diagnostic), new RegExp(`Deployment/svc-${index} has app=svc-${index}, not app=svc-${index}x`));
      }
      const text = fs.readFileSync(path.join(root, 'all.yaml'), 'utf8');
      await server.open('all.yaml', text);
      const edited = await server.edit('all.yaml', text, 'app: svc-0x', 'app: svc-0');
      const after = await server.waitForVersion('all.yaml', edited.version, 30_000);
      assert.equal(after.filter((diagnostic) => diagnostic.code === 'service-selector-no-match').length, 199);
      assert.deepEqual(server.errors, []);
    } finally {
      await server?.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
