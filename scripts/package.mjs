// Builds the production bundles, packs the extension with vsce into service-lens-<version>.vsix,
// then lists what the package holds and fails when anything outside the allowlist got in
// (sources, source maps, tests) or when a file the extension needs is missing.
// Usage: node scripts/package.mjs   (npm run package)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsixName = `${manifest.name}-${manifest.version}.vsix`;
const vsixPath = join(root, vsixName);

/** Paths inside the .vsix (a zip) that may be shipped. vsce adds the first two itself. */
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/dist\/(client|server|webview)\.js$/,
  /^extension\/dist\/webview\.css$/,
  /^extension\/media\/walkthrough\/[\w./-]+$/,
  /^extension\/syntaxes\/[\w.-]+\.tmLanguage\.json$/,
  /^extension\/docs\/rules\/[\w-]+\.md$/, // the rule pages, opened offline from a diagnostic's link
  /^extension\/docs\/kubernetes-semantics\.md$/, // linked from every rule page
  /^extension\/(readme|changelog)\.md$/i, // vsce writes these names in lower case
  /^extension\/LICENSE(\.txt)?$/, // vsce adds `.txt` to a LICENSE without extension
  /^extension\/images\/icon\.png$/,
];

/** Files without which the installed extension would not work or not present itself. */
const REQUIRED = [
  ['package.json', /^extension\/package\.json$/],
  ['the client bundle', /^extension\/dist\/client\.js$/],
  ['the server bundle', /^extension\/dist\/server\.js$/],
  ['the traffic preview script', /^extension\/dist\/webview\.js$/],
  ['the traffic preview stylesheet', /^extension\/dist\/webview\.css$/],
  ['README.md', /^extension\/readme\.md$/i],
  ['CHANGELOG.md', /^extension\/changelog\.md$/i],
  ['LICENSE', /^extension\/LICENSE(\.txt)?$/],
  ['the icon', /^extension\/images\/icon\.png$/],
  ['the Kubernetes semantics page the rule pages link to', /^extension\/docs\/kubernetes-semantics\.md$/],
];

function run(label, command, args) {
  console.log(`> ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) fail(`${label} could not run: ${result.error.message}`);
  if (result.status !== 0) fail(`${label} failed with exit code ${result.status ?? result.signal}`);
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

/** Entries of a zip file from its central directory: name, stored and original size. */
function zipEntries(path) {
  const zip = readFileSync(path);
  const END_OF_DIRECTORY = 0x06054b50;
  const DIRECTORY_ENTRY = 0x02014b50;
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === END_OF_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) fail(`${path} is not a zip file`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== DIRECTORY_ENTRY) fail(`${path}: corrupt central directory`);
    const compressed = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, size, compressed });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function kilobytes(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

run('production build', process.execPath, ['scripts/build.mjs', '--production']);
run('vsce package', join(root, 'node_modules', '.bin', 'vsce'), [
  'package',
  '--no-dependencies',
  '--out',
  vsixName,
]);

const entries = zipEntries(vsixPath).filter((entry) => !entry.name.endsWith('/'));
console.log(`\n${vsixName} contents:`);
const width = Math.max(...entries.map((entry) => entry.name.length));
for (const entry of [...entries].sort((left, right) => left.name.localeCompare(right.name))) {
  console.log(`  ${entry.name.padEnd(width)}  ${kilobytes(entry.size).padStart(10)}`);
}

const problems = [];
for (const entry of entries) {
  if (!ALLOWED.some((pattern) => pattern.test(entry.name))) problems.push(`not allowed in the package: ${entry.name}`);
}
for (const [label, pattern] of REQUIRED) {
  if (!entries.some((entry) => pattern.test(entry.name))) problems.push(`missing from the package: ${label}`);
}
for (const grammar of manifest.contributes?.grammars ?? []) {
  const name = `extension/${grammar.path.replace(/^\.\//, '')}`;
  if (!entries.some((entry) => entry.name === name)) problems.push(`missing contributed grammar: ${name}`);
}

// Every rule page: a diagnostic's link opens the bundled one (serviceLens.showRuleDoc).
for (const name of readdirSync(join(root, 'docs', 'rules')).filter((file) => file.endsWith('.md'))) {
  if (!entries.some((entry) => entry.name === `extension/docs/rules/${name}`)) problems.push(`missing rule page: docs/rules/${name}`);
}

const bytes = statSync(vsixPath).size;
const unpacked = entries.reduce((sum, entry) => sum + entry.size, 0);
console.log(`\n${vsixName}: ${kilobytes(bytes)} (${bytes} bytes), ${entries.length} files, ${kilobytes(unpacked)} unpacked`);
if (problems.length > 0) fail(`${vsixName} does not hold what it should:\n  ${problems.join('\n  ')}`);
