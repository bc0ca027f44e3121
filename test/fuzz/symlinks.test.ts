/**
 * Random symbolic-link layouts on a real file system: folders, manifests and links to folders and
 * files of the workspace (loops included), out of it, into /proc and to nothing. The server's walk
 * and the CLI's loading both end, read each real file at most once, never read outside the
 * workspace (or under /proc) unless following outside is allowed, and find every manifest that
 * is not behind a link.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadPaths } from '../../server/src/cli/files';
import { walkManifests } from '../../server/src/lsp/scanner';

/** Fixed, so a failure replays. */
const SEED = 20_261_203;
const RUNS = 120;

type Target = { readonly kind: 'inside'; readonly index: number } | { readonly kind: 'outside' | 'proc' | 'dangling' | 'root' };

interface Layout {
  /** Folder i sits in folder `parents[i]` (an earlier one, or the root for -1). */
  readonly parents: readonly number[];
  /** Manifests: the folder they sit in (-1 for the root). */
  readonly files: readonly number[];
  /** Links: the folder they sit in, and what they point at (a folder or file of the workspace by index, or elsewhere). */
  readonly links: readonly { readonly folder: number; readonly target: Target; readonly toFile: boolean }[];
}

const layoutArb: fc.Arbitrary<Layout> = fc.integer({ min: 0, max: 6 }).chain((folders) =>
  fc.record({
    parents: fc.tuple(...Array.from({ length: folders }, (_, index) => fc.integer({ min: -1, max: index - 1 }))),
    files: fc.array(fc.integer({ min: -1, max: folders - 1 }), { maxLength: 8 }),
    links: fc.array(
      fc.record({
        folder: fc.integer({ min: -1, max: folders - 1 }),
        target: fc.oneof(
          { weight: 4, arbitrary: fc.nat(16).map((index): Target => ({ kind: 'inside', index })) },
          { weight: 1, arbitrary: fc.constantFrom<Target>({ kind: 'outside' }, { kind: 'proc' }, { kind: 'dangling' }, { kind: 'root' }) },
        ),
        toFile: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
  }),
);

const MANIFEST = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: {app: s}}\n';

/** Writes the layout under `base/workspace` (and a manifest under `base/outside`); returns the workspace and the manifests not behind a link. */
function build(base: string, layout: Layout): { root: string; outside: string; direct: string[] } {
  const root = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'elsewhere.yaml'), MANIFEST);
  const folders: string[] = [];
  for (const [index, parent] of layout.parents.entries()) {
    const folder = path.join(parent < 0 ? root : folders[parent]!, `d${index}`);
    fs.mkdirSync(folder);
    folders.push(folder);
  }
  const folderOf = (index: number) => (index < 0 ? root : folders[index]!);
  const direct: string[] = [];
  for (const [index, folder] of layout.files.entries()) {
    const file = path.join(folderOf(folder), `f${index}.yaml`);
    fs.writeFileSync(file, MANIFEST);
    direct.push(file);
  }
  for (const [index, link] of layout.links.entries()) {
    let target: string;
    switch (link.target.kind) {
      case 'inside': {
        const pool = link.toFile && direct.length > 0 ? direct : [root, ...folders];
        target = pool[link.target.index % pool.length]!;
        break;
      }
      case 'outside':
        target = link.toFile ? path.join(outside, 'elsewhere.yaml') : outside;
        break;
      case 'proc':
        target = link.toFile ? '/proc/self/status' : '/proc/self';
        break;
      case 'dangling':
        target = path.join(base, 'nothing-here');
        break;
      case 'root':
        target = '/';
        break;
    }
    const isFile = fs.existsSync(target) && fs.statSync(target).isFile();
    fs.symlinkSync(target, path.join(folderOf(link.folder), isFile ? `l${index}.yaml` : `l${index}`));
  }
  return { root, outside, direct };
}

function checkRead(paths: readonly string[], root: string, direct: readonly string[], what: string): void {
  const reals = paths.map((file) => fs.realpathSync(file));
  assert.equal(new Set(reals).size, reals.length, `${what}: a real file read twice: ${paths.join(', ')}`);
  for (const real of reals) assert.ok(real === root || real.startsWith(root + path.sep), `${what}: read ${real}, outside the workspace`);
  for (const file of direct) assert.ok(reals.includes(fs.realpathSync(file)), `${what}: missed ${file}`);
}

describe('random symbolic-link layouts', () => {
  it('the server walk and the CLI end, read inside the workspace only, each real file once, every manifest not behind a link', async () => {
    const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'service-lens-links-')));
    try {
      let index = 0;
      await fc.assert(
        fc.asyncProperty(layoutArb, async (layout) => {
          const caseBase = path.join(base, String(index++));
          fs.mkdirSync(caseBase);
          const { root, outside, direct } = build(caseBase, layout);
          const walked: string[] = [];
          const walk = walkManifests(root, {
            skipDirectory: () => false,
            skipFile: () => false,
            onError: () => undefined,
            links: { folder: root, followOutside: false, onOutside: () => undefined },
          });
          for await (const file of walk) walked.push(file);
          checkRead(walked, root, direct, 'server walk');

          const loaded = loadPaths([root], caseBase, { followSymlinksOutside: false });
          checkRead(loaded.files.map((file) => file.path), root, direct, 'CLI');

          // Following outside (not with a link to /, which would walk the whole disk by design)
          // reads the outside manifest only through a link to it, and never /proc.
          if (layout.links.some((link) => link.target.kind === 'root')) return;
          const followed = loadPaths([root], caseBase, { followSymlinksOutside: true });
          const reals = followed.files.map((file) => fs.realpathSync(file.path));
          assert.equal(new Set(reals).size, reals.length, 'CLI following outside: a real file read twice');
          for (const real of reals) assert.ok(!/^\/(proc|sys|dev)(\/|$)/.test(real), `CLI following outside: read ${real}`);
          const linksOut = layout.links.some((link) => link.target.kind === 'outside');
          if (!linksOut) for (const real of reals) assert.ok(!real.startsWith(outside), `read ${real} with no link to it`);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
