/**
 * Reads what `helm template` writes to standard error; its standard output is split by the engine
 * (engine/render/helmOutput.ts), which the language server and the CLI hand it whole.
 */
export { splitHelmOutput, type RenderedManifest } from '../engine/render/helmOutput';

/**
 * The text of helm's error, without its log lines (`level=INFO msg=…`), the `Error: ` prefix
 * and the hint about `--debug`; empty when helm wrote nothing else.
 */
export function helmErrorText(stderr: string): string {
  const kept = stderr
    .split(/\r?\n/)
    .filter((line) => !/^(level=\w+ |time=\S+ level=)/.test(line))
    .filter((line) => !line.startsWith('Use --debug flag'))
    .join('\n')
    .trim();
  return kept.replace(/^Error: /, '');
}

/**
 * The dependencies helm reports missing in `charts/`, from its message
 * `found in Chart.yaml, but missing in charts/ directory: redis, db`; empty for any other error.
 */
export function missingDependencies(errorText: string): string[] {
  const match = /found in Chart\.yaml, but missing in charts\/ directory: ([^\n]+)/.exec(errorText);
  if (!match) return [];
  return match[1]!.split(',').map((name) => name.trim()).filter((name) => name !== '');
}
