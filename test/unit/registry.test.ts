/**
 * The rule registry is the one list of rules: every registered rule has its file, doc page and
 * fixtures; nothing exists for a rule that is not registered; and the files written from the
 * registry (`npm run generate`) are up to date.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RULE_IDS, RULES, ruleOf } from '../../server/src/engine/rules/registry';
import { generateArtefacts } from '../../scripts/generate/artefacts';
import { REPO_ROOT } from '../support/paths';

const RULES_SOURCE = join(REPO_ROOT, 'server', 'src', 'engine', 'rules');
const DOCS = join(REPO_ROOT, 'docs', 'rules');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'rules');
/** A rule id: kebab-case `<subject>-<condition>`; also what the grammars' alternation relies on. */
const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

describe('rule registry', () => {
  it('registers each rule under its own id, in id order', () => {
    assert.deepEqual(RULES.map((rule) => rule.id), [...RULE_IDS]);
    for (const id of RULE_IDS) assert.equal(ruleOf(id).id, id, `the rule registered as ${id}`);
    assert.deepEqual([...RULE_IDS], [...RULE_IDS].sort(), 'registry keys in id order');
    for (const id of RULE_IDS) assert.match(id, RULE_ID);
  });

  for (const id of RULE_IDS) {
    it(`${id} has a rule file, a doc page, metadata and fixtures that fire and stay quiet`, () => {
      assert.ok(existsSync(join(RULES_SOURCE, `${id}.ts`)), `server/src/engine/rules/${id}.ts`);
      assert.ok(existsSync(join(DOCS, `${id}.md`)), `docs/rules/${id}.md`);
      const rule = ruleOf(id);
      assert.ok(rule.description.trim() !== '' && rule.summary.trim() !== '', 'description and summary');
      assert.ok(!rule.summary.includes('|') && !rule.summary.includes('\n'), 'the summary fits a Markdown table cell');
      const fixtures = existsSync(join(FIXTURES, id)) ? readdirSync(join(FIXTURES, id)) : [];
      assert.ok(fixtures.some((name) => name.startsWith('fires') && name.endsWith('.yaml')), `test/fixtures/rules/${id}/fires*.yaml`);
      assert.ok(fixtures.some((name) => name.startsWith('quiet') && name.endsWith('.yaml')), `test/fixtures/rules/${id}/quiet*.yaml`);
    });
  }

  it('has no doc page, fixture folder or rule file for an unregistered id', () => {
    const registered = new Set<string>(RULE_IDS);
    const docs = readdirSync(DOCS)
      .filter((name) => name.endsWith('.md') && name !== 'README.md')
      .map((name) => name.slice(0, -'.md'.length));
    const fixtures = readdirSync(FIXTURES);
    // Rule files are named by id (kebab-case); helper modules have camelCase names.
    const ruleFiles = readdirSync(RULES_SOURCE)
      .filter((name) => name.endsWith('.ts') && name.includes('-'))
      .map((name) => name.slice(0, -'.ts'.length));
    assert.deepEqual(docs.filter((id) => !registered.has(id)), [], 'docs/rules/*.md without a rule');
    assert.deepEqual(fixtures.filter((id) => !registered.has(id)), [], 'test/fixtures/rules/* without a rule');
    assert.deepEqual(ruleFiles.filter((id) => !registered.has(id)), [], 'server/src/engine/rules/*.ts named like a rule but not registered');
  });

  for (const artefact of generateArtefacts(REPO_ROOT)) {
    it(`${artefact.path} is up to date with the registry`, () => {
      const path = join(REPO_ROOT, artefact.path);
      assert.ok(existsSync(path), `${artefact.path} is missing: run npm run generate`);
      assert.equal(readFileSync(path, 'utf8'), artefact.text, `${artefact.path} differs from the registry: run npm run generate`);
    });
  }
});
