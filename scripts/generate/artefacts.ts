/**
 * The files written from the rule registry (server/src/engine/rules/registry.ts): the
 * `serviceLens.rules` settings schema in package.json, the rule-id alternation of both TextMate
 * grammars, the README rule table (between `<!-- rules:start -->` and `<!-- rules:end -->`) and the
 * docs index docs/rules/README.md. `npm run generate` writes them; test/unit/registry.test.ts fails
 * when a checked-in file differs from what is computed here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleDocUrl } from '../../server/src/engine/rules/docs';
import { RULE_IDS, ruleOf, type RuleId } from '../../server/src/engine/rules/registry';
import { RULE_SEVERITY_SETTINGS } from '../../server/src/protocol/settings';

/** A generated file: its path relative to the repository root and its full text. */
export interface Artefact {
  readonly path: string;
  readonly text: string;
}

export const GRAMMARS = ['syntaxes/service-lens-annotations.tmLanguage.json', 'syntaxes/service-lens-suppressions.tmLanguage.json'];
export const README_START = '<!-- rules:start -->';
export const README_END = '<!-- rules:end -->';

/** Every generated file, computed from the registry and the current text of the files it edits in place. */
export function generateArtefacts(root: string): Artefact[] {
  const read = (path: string): string => readFileSync(join(root, path), 'utf8');
  return [
    { path: 'package.json', text: packageJson(read('package.json')) },
    ...GRAMMARS.map((path) => ({ path, text: grammar(path, read(path)) })),
    { path: 'README.md', text: readme(read('README.md')) },
    { path: 'docs/rules/README.md', text: docsIndex() },
  ];
}

/** `warning`, or `warning, or information when …` for rules whose reports may soften it. */
function defaultSeverityText(id: RuleId): string {
  const rule = ruleOf(id);
  return rule.otherSeverity ? `${rule.defaultSeverity}, or ${rule.otherSeverity}` : rule.defaultSeverity;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function objectAt(value: Json | undefined, path: string, file: string): { [key: string]: Json } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: ${path} is not an object`);
  return value;
}

function stringify(value: Json): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** package.json with `contributes.configuration.properties["serviceLens.rules"].properties` written from the registry. */
function packageJson(text: string): string {
  const manifest = JSON.parse(text) as Json;
  const file = 'package.json';
  const contributes = objectAt(objectAt(manifest, '', file)['contributes'], 'contributes', file);
  const configuration = objectAt(contributes['configuration'], 'contributes.configuration', file);
  const properties = objectAt(configuration['properties'], 'contributes.configuration.properties', file);
  const rules = objectAt(properties['serviceLens.rules'], 'serviceLens.rules', file);
  const ruleProperties: { [key: string]: Json } = {};
  for (const id of RULE_IDS) {
    ruleProperties[id] = {
      type: 'string',
      enum: [...RULE_SEVERITY_SETTINGS],
      markdownDescription: `Severity of [\`${id}\`](${ruleDocUrl(id)}): ${ruleOf(id).summary} Default: ${defaultSeverityText(id)}.`,
    };
  }
  rules['properties'] = ruleProperties;
  return stringify(manifest);
}

/** A grammar with the pattern of its `rule-list` that names the known ids rewritten. */
function grammar(path: string, text: string): string {
  const document = JSON.parse(text) as Json;
  const repository = objectAt(objectAt(document, '', path)['repository'], 'repository', path);
  const ruleList = objectAt(repository['rule-list'], 'repository.rule-list', path);
  const patterns = ruleList['patterns'];
  const known = Array.isArray(patterns) ? patterns[0] : undefined;
  const pattern = objectAt(known, 'repository.rule-list.patterns[0]', path);
  // Ids are kebab-case (checked by the registry test), so they need no escaping in the alternation.
  pattern['match'] = `(?<![\\w-])(?:${RULE_IDS.join('|')})(?![\\w-])`;
  return stringify(document);
}

function tableRows(link: (id: RuleId) => string): string[] {
  return [
    '| Rule | Default | Reports |',
    '|---|---|---|',
    ...RULE_IDS.map((id) => `| [\`${id}\`](${link(id)}) | ${defaultSeverityText(id)} | ${ruleOf(id).summary} |`),
  ];
}

/** README.md with the lines between the rule markers replaced by the rule table. */
function readme(text: string): string {
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md: the rule table must sit between ${README_START} and ${README_END}`);
  const table = tableRows((id) => `docs/rules/${id}.md`).join('\n');
  return `${text.slice(0, start + README_START.length)}\n${table}\n${text.slice(end)}`;
}

/** docs/rules/README.md: the index of the rule pages. */
function docsIndex(): string {
  return [
    '<!-- Written by `npm run generate` from server/src/engine/rules/registry.ts; do not edit. -->',
    '# Rules',
    '',
    'Each rule has an id: the diagnostic `code`, the key under the `serviceLens.rules` setting and the',
    'CLI `--rule` option, and the id that suppresses it (`# service-lens-disable-next-line <id>` or the',
    '`service-lens/disable` annotation).',
    '',
    ...tableRows((id) => `${id}.md`),
    '',
  ].join('\n');
}
