/**
 * The CLI's input/output bounds, as a child process: links to /proc, to / and out of the path given
 * are not followed (unless --follow-symlinks-outside), a FIFO is passed over unread, a closed pipe on stdout
 * or stderr ends quietly with the exit status the findings imply, and text output escapes control
 * characters while JSON keeps them exact.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI, runCli, withoutColourSettings } from './harness';

const UNMATCHED = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: outside\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n';

function pair(name: string): string {
  return (
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: 80\n    targetPort: 8080\n---\n` +
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n      - name: main\n        ports:\n        - containerPort: 8080\n`
  );
}

/** Runs the CLI through `sh -c 'exec … 2>&1'` (or without the redirect), reads the first chunk, then closes the pipe. */
function firstChunkThenClose(args: readonly string[], cwd: string, stream: 'stdout' | 'stderr' | 'both'): Promise<{ code: number | null; first: string }> {
  const quoted = [process.execPath, CLI, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = stream === 'both' ? `exec ${quoted} 2>&1` : stream === 'stderr' ? `exec ${quoted} 2>&1 >/dev/null` : `exec ${quoted} 2>/dev/null`;
  const child = spawn('sh', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: withoutColourSettings(process.env) });
  return new Promise((resolve, reject) => {
    let first = '';
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString('utf8');
      child.stdout.destroy();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, first }));
  });
}

describe('CLI input/output bounds', { timeout: 120_000 }, () => {
  let root: string;
  let outside: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-cli-io-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-cli-outside-')));
    fs.writeFileSync(path.join(outside, 'service.yaml'), UNMATCHED);
    const hostile = path.join(root, 'hostile');
    fs.mkdirSync(path.join(hostile, 'inside'), { recursive: true });
    fs.writeFileSync(path.join(hostile, 'inside', 'web.yaml'), pair('web'));
    fs.symlinkSync('/proc/self/pagemap', path.join(hostile, 'pagemap.yaml'));
    fs.symlinkSync('/', path.join(hostile, 'root'));
    fs.symlinkSync(outside, path.join(hostile, 'elsewhere'));
    fs.symlinkSync(path.join(outside, 'service.yaml'), path.join(hostile, 'elsewhere.yaml'));
    fs.symlinkSync(path.join(hostile, 'inside'), path.join(hostile, 'alias'));
    execFileSync('mkfifo', [path.join(hostile, 'fifo.yaml')]);
    // Only links to the outside folder: following them is allowed with the flag.
    const linked = path.join(root, 'linked');
    fs.mkdirSync(linked);
    fs.writeFileSync(path.join(linked, 'web.yaml'), pair('web'));
    fs.symlinkSync(outside, path.join(linked, 'elsewhere'));
    // Many clean Services and many notes: more output than a pipe holds.
    const many = path.join(root, 'many');
    fs.mkdirSync(many);
    for (let index = 0; index < 1_500; index++) fs.writeFileSync(path.join(many, `s${index}.yaml`), pair(`web-${index}`));
    for (let index = 0; index < 1_500; index++) fs.writeFileSync(path.join(many, `b${index}.yaml`), Buffer.from([0x89, 0x50, 0, 0]));
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  test('reads no /proc file, no FIFO and nothing out of the path given; notes each link once', () => {
    const run = runCli(['check', 'hostile', '--format', 'json'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    const output = JSON.parse(run.stdout) as { services: { name: string; file: string }[]; findings: unknown[] };
    assert.deepEqual(output.services.map((service) => `${service.name} ${service.file}`), ['web hostile/alias/web.yaml']);
    assert.deepEqual(output.findings, []);
    const notes = run.stderr.trimEnd().split('\n').sort();
    assert.deepEqual(notes, [
      `service-lens: Not following hostile/elsewhere -> ${outside}: outside the workspace folder`,
      `service-lens: Not following hostile/elsewhere.yaml -> ${path.join(outside, 'service.yaml')}: outside the workspace folder`,
      'service-lens: Not following hostile/root -> /: outside the workspace folder',
      ...notes.filter((note) => note.startsWith('service-lens: Not following hostile/pagemap.yaml -> /proc/')),
    ].sort());
    assert.equal(notes.filter((note) => note.includes('pagemap.yaml')).length, 1, run.stderr);
  });

  test('a /proc file named on the command line is refused, not read', () => {
    const run = runCli(['check', 'hostile/pagemap.yaml'], { cwd: root });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^service-lens: hostile\/pagemap\.yaml: under \/proc, \/sys or \/dev, not read$/m);
  });

  test('--follow-symlinks-outside follows links out of the path given', () => {
    const without = runCli(['check', 'linked', '--format', 'json'], { cwd: root });
    assert.equal(without.status, 0, without.stderr);
    const run = runCli(['check', 'linked', '--format', 'json', '--follow-symlinks-outside', '--fail-on', 'none'], { cwd: root });
    assert.equal(run.status, 0, run.stderr);
    const output = JSON.parse(run.stdout) as { findings: { ruleId: string; file: string }[] };
    assert.deepEqual(output.findings.map((finding) => `${finding.ruleId} ${finding.file}`), ['service-selector-no-match linked/elsewhere/service.yaml']);
    assert.equal(run.stderr, '');
  });

  test('a closed pipe on stdout, on stderr or on both ends quietly with the exit status of the findings', async () => {
    for (const stream of ['stdout', 'stderr', 'both'] as const) {
      const clean = await firstChunkThenClose(['check', 'many'], root, stream);
      assert.equal(clean.code, 0, `${stream}: a clean run exits 0 after the reader left`);
      assert.doesNotMatch(clean.first, /Error|EPIPE/);
      const failing = await firstChunkThenClose(['check', 'many', 'hostile/elsewhere'], root, stream);
      assert.equal(failing.code, 0, `${stream}: no error-level finding`);
    }
    const warnings = await firstChunkThenClose(['check', 'many', path.join(outside, 'service.yaml'), '--fail-on', 'warning'], root, 'both');
    assert.equal(warnings.code, 1, 'findings at --fail-on still exit 1');
  });

  test('text output escapes control characters and line breaks; JSON keeps them exact', () => {
    const folder = path.join(root, 'controls');
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'evil\nname.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "a\\e[2Jb\\r\\nfake.yaml:1:1 error x\\u0085\\x7f"\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n');
    const text = runCli(['check', 'controls', '--fail-on', 'none'], { cwd: root });
    assert.equal(text.status, 0, text.stderr);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, 'no raw control character');
    assert.ok(text.stdout.includes('controls/evil\\nname.yaml:'), text.stdout);
    assert.ok(text.stdout.includes('a\\x1b[2Jb\\r\\nfake.yaml:1:1 error x\\x85\\x7f'), text.stdout);
    assert.equal(text.stdout.split('\n').filter((line) => line.startsWith('fake.yaml')).length, 0, 'no forged finding line');
    const json = runCli(['check', 'controls', '--format', 'json', '--fail-on', 'none'], { cwd: root });
    const output = JSON.parse(json.stdout) as { services: { name: string; file: string }[] };
    assert.equal(output.services[0]?.name, 'a\u001b[2Jb\r\nfake.yaml:1:1 error x\u0085\u007f');
    assert.equal(output.services[0]?.file, 'controls/evil\nname.yaml');
  });
});
