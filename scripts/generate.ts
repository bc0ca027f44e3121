/**
 * Writes the files that list the rules from the rule registry (see scripts/generate/artefacts.ts)
 * and prints which ones changed.
 *
 *   npm run generate
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateArtefacts } from './generate/artefacts';

const root = join(__dirname, '..');
let changed = 0;
for (const artefact of generateArtefacts(root)) {
  const path = join(root, artefact.path);
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === artefact.text) continue;
  writeFileSync(path, artefact.text);
  console.log(`wrote ${artefact.path}`);
  changed++;
}
console.log(changed === 0 ? 'Generated files are up to date.' : `${changed} file(s) written.`);
