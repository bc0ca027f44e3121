// Installs what the tests need beyond npm ci, idempotently: each module in ./parts (run in name
// order) checks for one tool and installs it when missing (Debian packages through apt-get when
// running as root, otherwise a clear message saying what to install), then returns.
// Usage: node scripts/setup/index.mjs [part-name…]
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const parts = readdirSync(join(here, 'parts'))
  .filter((name) => name.endsWith('.mjs'))
  .filter((name) => wanted.length === 0 || wanted.includes(name.replace(/\.mjs$/, '')))
  .sort();

for (const name of parts) {
  const started = Date.now();
  const part = await import(pathToFileURL(join(here, 'parts', name)).href);
  try {
    await part.default((message) => console.log(`[setup ${name.replace(/\.mjs$/, '')}] ${message}`));
  } catch (error) {
    console.error(`[setup ${name}] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (Number(seconds) > 1) console.log(`[setup ${name.replace(/\.mjs$/, '')}] ${seconds} s`);
}
