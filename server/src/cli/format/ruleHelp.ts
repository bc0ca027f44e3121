/**
 * The help of each rule in SARIF (`reportingDescriptor.help`, SARIF 2.1.0 §3.49.13: a
 * multiformat message with `text` and `markdown`), taken from the rule's page docs/rules/<id>.md:
 * its opening paragraphs and its "Why it matters" and "How to fix" sections. Links relative to
 * the page become absolute web addresses, since a SARIF viewer shows the help away from the
 * repository. Without a readable page, the help is the rule's summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCS_BASE } from '../../engine/rules/docs';

export interface RuleHelp {
  readonly text: string;
  readonly markdown: string;
}

/** The sections of a rule page that help someone who meets a finding. */
const HELP_SECTIONS = ['Why it matters', 'How to fix'] as const;

/** Help from the page's Markdown, or from the summary when there is no page. */
export function ruleHelp(rule: { readonly id: string; readonly summary: string }, page: string | undefined): RuleHelp {
  const markdown = page === undefined ? undefined : helpMarkdown(page);
  if (markdown === undefined) return { text: rule.summary, markdown: rule.summary };
  return { text: plainText(markdown), markdown };
}

/**
 * The rule pages beside the CLI: docs/rules of the repository the bundle (dist/cli.js) or the
 * sources (server/src/cli) sit in. Returns a reader that gives undefined for a page it cannot read.
 */
export function rulePageReader(): (id: string) => string | undefined {
  const folders = [path.resolve(__dirname, '..', 'docs', 'rules'), path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'rules')];
  const folder = folders.find((candidate) => fs.existsSync(candidate));
  return (id) => {
    if (folder === undefined || !/^[a-z][a-z0-9-]*$/.test(id)) return undefined;
    try {
      return fs.readFileSync(path.join(folder, `${id}.md`), 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The opening paragraphs and the help sections, links made absolute; undefined without them. */
function helpMarkdown(page: string): string | undefined {
  const sections = page.replace(/\r\n/g, '\n').split(/^(?=## )/m);
  const opening = (sections[0] ?? '')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block !== '' && !block.startsWith('#') && !block.startsWith('|'));
  const parts = [...opening];
  for (const title of HELP_SECTIONS) {
    const section = sections.find((candidate) => candidate.startsWith(`## ${title}\n`));
    if (section !== undefined) parts.push(section.trim());
  }
  if (parts.length === 0) return undefined;
  return absoluteLinks(parts.join('\n\n'));
}

/** `[label](other.md)` → `[label](<docs base>other.md)`; absolute links and anchors stay. */
function absoluteLinks(markdown: string): string {
  return markdown.replace(/\]\(([^()\s]+)\)/g, (whole, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return whole;
    return `](${new URL(target, DOCS_BASE).href})`;
  });
}

/** Markdown read as plain text: `label (address)` for links, headings as lines ending in a colon. */
function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\(([^()\s]+)\)/g, '$1 ($2)')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/^#+ (.*)$/gm, '$1:');
}
