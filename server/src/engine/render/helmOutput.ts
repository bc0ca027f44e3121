/**
 * Reads what `helm template` prints. Helm writes every rendered manifest as
 * `---\n# Source: <chart>/templates/<file>\n<yaml>`; a template that holds several documents gives
 * several manifests with the same `# Source:`. Helm splits a template's output at every `---`
 * line itself (releaseutil.SplitManifests), so in its output a `---` line followed by a
 * `# Source:` line always starts a manifest.
 */

export interface RenderedManifest {
  /** The `# Source:` path as helm prints it, with `/`: `shop/templates/service.yaml`. */
  readonly source: string;
  /** The manifest's YAML, from the line after `# Source:` to the line before the next `---`. */
  readonly text: string;
}

const SOURCE_PREFIX = '# Source: ';

/** Splits `helm template` output into its manifests, in helm's order; empty manifests are dropped. */
export function splitHelmOutput(output: string): RenderedManifest[] {
  const lines = output.split('\n');
  const manifests: RenderedManifest[] = [];
  let source: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (source === undefined) return;
    const text = body.join('\n');
    if (text.trim() !== '') manifests.push({ source, text: text.endsWith('\n') ? text : `${text}\n` });
  };
  for (let index = 0; index < lines.length; index++) {
    const line = stripCarriageReturn(lines[index]!);
    const next = lines[index + 1];
    if (line === '---' && next !== undefined && stripCarriageReturn(next).startsWith(SOURCE_PREFIX)) {
      flush();
      source = stripCarriageReturn(next).slice(SOURCE_PREFIX.length).trim();
      body = [];
      index++;
      continue;
    }
    if (source !== undefined) body.push(lines[index]!);
  }
  flush();
  return manifests;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
