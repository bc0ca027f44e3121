/**
 * Property-based fuzzing of the engine with a fixed seed: for every family of inputs (mutated and
 * truncated real manifests, random bytes and strings, token soup, generated manifests with hostile
 * names, deep nesting, alias bombs, long lines) the engine never throws, keeps every span inside
 * its file's text with valid positions, equals a from-scratch analysis after edits, and finishes
 * each case within the time bound. `npm run fuzz` runs the same cases at full scale.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TestHost } from '../support/testHost';
import { REPO_ROOT } from '../support/paths';
import { FAMILIES, TEST_SCALE, caseArb, type Family, type FuzzCase } from './arbitraries';
import { aliasBombManifest, linkedPair, manyAnchorsManifest } from './hostileText';
import { describeProblems, runCase } from './runCase';
import { loadSeeds } from './seeds';

/** Fixed, so a failure replays; change it to explore. */
const SEED = 20_251_105;

/** Cases per family: 2,850 in all. */
const RUNS: Readonly<Record<Family, number>> = {
  mutated: 300,
  truncated: 400,
  random: 400,
  tokens: 400,
  generated: 200,
  deep: 300,
  bomb: 300,
  long: 400,
  duplicates: 150,
};

/**
 * A case loads up to eight files, hovers, previews and re-analyses from scratch: well below a
 * second on an idle machine. The bound catches hangs and blow-ups (seconds to minutes) with room
 * for a loaded two-core CI machine; speed itself is measured by `npm run bench`.
 */
const CASE_BOUND_MS = 3_000;

const seeds = loadSeeds(REPO_ROOT);

describe('engine fuzzing', () => {
  for (const family of FAMILIES) {
    it(`${family}: never throws, spans inside texts, valid positions, incremental equals from scratch`, () => {
      let slowest: { durationMs: number; fuzzCase: FuzzCase } | undefined;
      fc.assert(
        fc.property(caseArb(family, seeds, TEST_SCALE), (fuzzCase) => {
          const outcome = runCase(fuzzCase, { lspPositions: true });
          if (outcome.problems.length > 0) throw new Error(describeProblems(outcome.problems));
          if (!slowest || outcome.durationMs > slowest.durationMs) slowest = { durationMs: outcome.durationMs, fuzzCase };
        }),
        { seed: SEED, numRuns: RUNS[family] },
      );
      // Timing is checked apart from the property: shrinking a slow case only measures noise.
      if (slowest && slowest.durationMs > CASE_BOUND_MS) {
        assert.fail(`the slowest ${family} case took ${slowest.durationMs.toFixed(0)} ms (bound ${CASE_BOUND_MS} ms); file sizes ${slowest.fuzzCase.files.map((file) => file.text.length).join(', ')}`);
      }
    });
  }
});

describe('engine time bounds on hostile documents', () => {
  /**
   * What a document of a few hundred kilobytes may cost at most, whatever it holds. Each case took
   * seconds before its fix and takes well under half a second now; the bound leaves room for a
   * loaded machine, so it catches regressions to quadratic work without timing the engine.
   */
  const DOCUMENT_BOUND_MS = 2_000;

  const timed = (text: string): { elapsed: number; workspace: TestHost } => {
    const workspace = new TestHost();
    const started = performance.now();
    workspace.setFile('file:///bounds.yaml', text);
    workspace.findings('file:///bounds.yaml');
    return { elapsed: performance.now() - started, workspace };
  };

  it('an alias bomb (9 levels of 9 aliases, 1 KB) is cut off quickly', () => {
    const text = aliasBombManifest(9, 9);
    assert.ok(text.length < 2_000);
    const { elapsed, workspace } = timed(text);
    assert.ok(elapsed < DOCUMENT_BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
    assert.match(workspace.skipped('file:///bounds.yaml')[0]?.message ?? '', /alias/, 'skipped with a note');
  });

  it('a document with 2,000 anchors and 2,000 aliases (80 KB) is read quickly', () => {
    const { elapsed, workspace } = timed(manyAnchorsManifest(2_000));
    assert.ok(elapsed < DOCUMENT_BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
    assert.equal(workspace.serviceReports()[0]?.selector?.['k1999'], 'v1999', 'the aliases are resolved');
  });

  it('a JSON map with 10,000 keys (120 KB) is read quickly', () => {
    const selector = Object.fromEntries(Array.from({ length: 10_000 }, (_, index) => [`k${index}`, 'v']));
    const { elapsed } = timed(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'wide' }, spec: { selector } }));
    assert.ok(elapsed < DOCUMENT_BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
  });

  it('a JSON List of 3,000 Services (1 MB) is analysed, not skipped', () => {
    const items = Array.from({ length: 3_000 }, (_, index) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `s${index}`, namespace: 'listed' },
      spec: { selector: { app: `a${index}` }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    }));
    const { workspace } = timed(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2));
    assert.deepEqual(workspace.skipped('file:///bounds.yaml'), []);
    assert.equal(workspace.serviceReports().length, 3_000);
  });

  it('1,000 unmatched Services beside 1,000 templates of their namespace link quickly', () => {
    const services = Array.from({ length: 1_000 }, (_, index) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${index}\nspec:\n  selector:\n    app: web${index}\n  ports:\n  - port: 80\n`);
    const templates = Array.from(
      { length: 1_000 },
      (_, index) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${index}\n  labels:\n    app: pod${index}\nspec:\n  containers:\n  - name: c\n`,
    );
    const workspace = new TestHost();
    const started = performance.now();
    workspace.setFiles([
      ['file:///services.yaml', services.join('---\n')],
      ['file:///pods.yaml', templates.join('---\n')],
    ]);
    const elapsed = performance.now() - started;
    assert.equal(workspace.findings('file:///services.yaml').length, 1_000);
    assert.ok(elapsed < DOCUMENT_BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
  });
});

describe('positions as an LSP client counts lines', () => {
  it('a lone CR ends a line', () => {
    const text = linkedPair('classic', undefined).replace(/\n/g, '\r');
    const workspace = new TestHost();
    workspace.setFile('file:///classic.yaml', text);
    const [finding] = workspace.findings('file:///classic.yaml');
    assert.ok(finding, 'the old Mac line endings are read');
    const client = TextDocument.create('file:///classic.yaml', 'yaml', 1, text);
    assert.deepEqual(workspace.positionAt('file:///classic.yaml', finding.span.start), client.positionAt(finding.span.start));
  });
});
