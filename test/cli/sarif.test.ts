/**
 * SARIF output, validated against the SARIF 2.1.0 JSON schema as shipped by the SARIF SDK's
 * `@microsoft/sarif-multitool-ts` package (draft 2020-12), with formats checked by ajv-formats.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { ruleHelp } from '../../server/src/cli/format/ruleHelp';
import { RULE_IDS } from '../../server/src/engine/rules/registry';
import { FIXTURES, REPO_ROOT, runCli, runJson } from './harness';

const error = `${FIXTURES}/error`;
const warning = `${FIXTURES}/warning`;

function schemaPath(): string {
  // The package exports only its entry point; the schema sits beside it under assets/.
  const entry = require.resolve('@microsoft/sarif-multitool-ts');
  return path.join(path.dirname(entry), '..', 'assets', 'sarif-2.1.0.schema.json');
}

function runSarif(args: readonly string[], cwd?: string): Sarif.Log {
  const run = runCli([...args, '--format', 'sarif'], cwd === undefined ? {} : { cwd });
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Sarif.Log;
}

describe('--format sarif', () => {
  let validate: ValidateFunction;

  before(() => {
    const schema = JSON.parse(fs.readFileSync(schemaPath(), 'utf8')) as Record<string, unknown>;
    assert.match(String(schema['title']), /SARIF\) Version 2\.1\.0 JSON Schema/);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  });

  function assertValid(log: unknown): void {
    const valid = validate(log);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  }

  test('the validator rejects a log that breaks the schema', () => {
    const log = runSarif(['check', error]);
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = 'fatal';
    assert.equal(validate(broken), false);
  });

  test('logs with findings, related locations and none at all are valid SARIF 2.1.0', () => {
    assertValid(runSarif(['check', error]));
    assertValid(runSarif(['check', warning]));
    assertValid(runSarif(['check', `${FIXTURES}/clean`]));
  });

  test('describes the tool and every rule', () => {
    const log = runSarif(['check', error]);
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema ?? '', /sarif-schema-2\.1\.0\.json$/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0]!;
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.tool.driver.name, 'service-lens');
    assert.equal(run.tool.driver.version, version);
    assert.match(run.tool.driver.informationUri ?? '', /^https:\/\//);
    const rules = run.tool.driver.rules ?? [];
    // Every rule of the registry, in its (id) order: a new rule needs no change here.
    assert.deepEqual(rules.map((rule) => rule.id), [...RULE_IDS]);
    assert.ok(RULE_IDS.includes('service-selector-no-match'));
    for (const rule of rules) {
      assert.equal(rule.helpUri, `https://github.com/service-lens/service-lens/blob/main/docs/rules/${rule.id}.md`);
      assert.ok(rule.shortDescription?.text, `${rule.id} has a short description`);
      assert.ok(rule.defaultConfiguration?.level, `${rule.id} has a default level`);
    }
    const levels = Object.fromEntries(rules.map((rule) => [rule.id, rule.defaultConfiguration?.level]));
    assert.equal(levels['service-target-port-unresolved'], 'error');
    assert.equal(levels['service-selector-no-match'], 'warning');
    assert.equal(run.originalUriBaseIds?.['%SRCROOT%']?.uri, `${pathToFileURL(REPO_ROOT).href}/`);
  });

  test("each rule carries its summary and its help from the rule's page: opening, why it matters, how to fix", () => {
    const rules = runSarif(['check', error]).runs[0]!.tool.driver.rules ?? [];
    assert.ok(rules.length > 0);
    for (const rule of rules) {
      const page = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      const section = (title: string): string => {
        const start = page.indexOf(`## ${title}\n`);
        assert.ok(start >= 0, `docs/rules/${rule.id}.md has "## ${title}"`);
        const end = page.indexOf('\n## ', start + 1);
        return page.slice(start, end < 0 ? undefined : end).trim();
      };
      const opening = page.split('\n\n').find((block) => !block.startsWith('#') && !block.startsWith('|'))!.trim();
      assert.ok(rule.fullDescription?.text, `${rule.id}: fullDescription`);
      const markdown = rule.help?.markdown ?? '';
      const text = rule.help?.text ?? '';
      assert.ok(markdown.startsWith(opening), `${rule.id}: the help opens as the page does`);
      for (const title of ['Why it matters', 'How to fix']) assert.ok(markdown.includes(section(title)), `${rule.id}: help has "${title}" as on the page`);
      assert.ok(!markdown.includes('## Examples') && !markdown.includes('## Suppressing it'), `${rule.id}: only the help sections`);
      // Plain text: the same words, links written out, headings as lines.
      assert.ok(text.includes('How to fix:') && text.includes('Why it matters:'), `${rule.id}: text headings`);
      assert.doesNotMatch(text, /\]\(/, `${rule.id}: no Markdown links in the text`);
      for (const [, target] of markdown.matchAll(/\]\(([^)]+)\)/g)) assert.match(target!, /^https:\/\//, `${rule.id}: absolute link ${target}`);
    }
  });

  test('help links relative to a rule page become web addresses; without a page the summary is the help', () => {
    const page = ['# some-rule', '', '| | |', '|---|---|', '', 'Opening [see also](other-rule.md).', '', '## Why it matters', '', 'See [the semantics](../kubernetes-semantics.md#ports) and <https://kubernetes.io/docs/>.', '', '## Examples', '', 'x', '', '## How to fix', '', '- Fix [it](#suppressing-it).'].join('\n');
    const help = ruleHelp({ id: 'some-rule', summary: 'A summary.' }, page);
    assert.equal(
      help.markdown,
      [
        'Opening [see also](https://github.com/service-lens/service-lens/blob/main/docs/rules/other-rule.md).',
        '## Why it matters\n\nSee [the semantics](https://github.com/service-lens/service-lens/blob/main/docs/kubernetes-semantics.md#ports) and <https://kubernetes.io/docs/>.',
        '## How to fix\n\n- Fix [it](#suppressing-it).',
      ].join('\n\n'),
    );
    assert.equal(
      help.text,
      [
        'Opening see also (https://github.com/service-lens/service-lens/blob/main/docs/rules/other-rule.md).',
        'Why it matters:\n\nSee the semantics (https://github.com/service-lens/service-lens/blob/main/docs/kubernetes-semantics.md#ports) and https://kubernetes.io/docs/.',
        'How to fix:\n\n- Fix it (#suppressing-it).',
      ].join('\n\n'),
    );
    assert.deepEqual(ruleHelp({ id: 'some-rule', summary: 'A summary.' }, undefined), { text: 'A summary.', markdown: 'A summary.' });
  });

  test('results agree with the JSON findings, with 1-based regions', () => {
    const log = runSarif(['check', error, warning]);
    const { output } = runJson(['check', error, warning]);
    const run = log.runs[0]!;
    const results = run.results ?? [];
    assert.equal(results.length, output.findings.length);
    assert.equal(results.length, 2);
    results.forEach((result, index) => {
      const finding = output.findings[index]!;
      assert.equal(result.ruleId, finding.ruleId);
      assert.equal(run.tool.driver.rules?.[result.ruleIndex ?? -1]?.id, finding.ruleId);
      assert.equal(result.level, finding.severity === 'information' || finding.severity === 'hint' ? 'note' : finding.severity);
      assert.equal(result.message.text, finding.message);
      const location = result.locations?.[0]?.physicalLocation;
      assert.deepEqual(location?.artifactLocation, { uri: finding.file, uriBaseId: '%SRCROOT%' });
      assert.deepEqual(location?.region, {
        startLine: finding.range.start.line + 1,
        startColumn: finding.range.start.character + 1,
        endLine: finding.range.end.line + 1,
        endColumn: finding.range.end.character + 1,
      });
    });
  });

  test('a cross-file finding points at the other side in relatedLocations', () => {
    const log = runSarif(['check', warning]);
    const result = log.runs[0]?.results?.find((candidate) => candidate.ruleId === 'service-selector-no-match');
    assert.ok(result);
    const related = result.relatedLocations ?? [];
    assert.ok(related.length > 0, 'the nearest miss is a related location');
    assert.equal(related[0]?.physicalLocation?.artifactLocation?.uri, `${warning}/deployment.yaml`);
    assert.ok((related[0]?.physicalLocation?.region?.startLine ?? 0) >= 1);
    assert.ok(related[0]?.message?.text);
  });
});
