/**
 * The stderr line for a document the engine did not analyse (a template, a YAML error, a file over
 * the size limit): `service-lens: <file>:<line>:<column> not analysed: <why>`. The engine's
 * template notes already open with "Not analysed:", and are not prefixed a second time.
 */
import { escapeControls } from './escape';

/** One line, newline included; `path` is relative to the working directory, `line`/`column` 1-based. */
export function skipNoteLine(path: string, line: number, column: number, message: string): string {
  const location = `${escapeControls(path)}:${line}:${column}`;
  const text = escapeControls(message);
  return /^not analysed\b/i.test(text) ? `service-lens: ${location}: ${text}\n` : `service-lens: ${location} not analysed: ${text}\n`;
}
