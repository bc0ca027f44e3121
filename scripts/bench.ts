/**
 * Benchmark: generates a synthetic workspace (or reuses one), indexes it in process as the server's
 * scan does and times that against `yaml.parseAllDocuments` over the same texts, scores the findings
 * against the generator's planted faults, and times single-character edits through the real
 * language server. Prints figures, then one JSON line.
 *
 *   npm run bench -- --services 10000
 */
import * as os from 'node:os';
import { score, type Accuracy } from './bench/accuracy';
import { measureKustomize } from './bench/kustomize';
import { prepareWorkspace, readExpected, readManifests, type PreparedWorkspace } from './bench/corpus';
import { findEditTarget } from './bench/editTarget';
import { measureInProcess, type InProcessResult } from './bench/inProcess';
import { measureServer, type ServerRun } from './bench/languageServer';
import { parseOptions, UsageError, USAGE, type BenchOptions } from './bench/options';
import { measureWarmStart, runShape, type WarmStart } from './bench/shapes';
import { collectGarbage, formatMB, formatMs, formatRate, ownPeakRssMB, percentile, round } from './bench/stats';

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), process.cwd());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.shape !== 'generated') {
    const summary = await runShape({
      shape: options.shape,
      services: options.services!,
      serverPath: options.server,
      cliPath: options.cli,
      edits: options.edits,
      skipServer: options.skipServer,
      keep: options.keep,
      profileDirectory: options.profileServer,
    });
    console.log(JSON.stringify(summary));
    return 0;
  }
  let workspace: PreparedWorkspace;
  try {
    workspace = prepareWorkspace(options);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  try {
    await run(options, workspace);
    return 0;
  } finally {
    workspace.dispose();
  }
}

async function run(options: BenchOptions, workspace: PreparedWorkspace): Promise<void> {
  const expected = readExpected(workspace.root);
  const services = expected.services ?? options.services ?? 0;
  const loadBefore = os.loadavg()[0] ?? 0;
  console.log(`Service Lens benchmark: ${services} Services, seed ${expected.seed ?? options.seed}, Node ${process.version}, ${os.cpus().length} cores, load average ${loadBefore.toFixed(2)}`);
  console.log(
    workspace.generated
      ? `Workspace generated in ${formatMs(workspace.generateMs)} at ${workspace.root}${options.keep ? ' (kept after the run)' : ' (deleted after the run)'}`
      : `Workspace reused: ${workspace.root}`,
  );

  const { files, bytes, readMs } = readManifests(workspace.root);
  console.log(`Files: ${files.length} manifests (*.yaml, *.yml, *.json; generator answer keys left out), ${formatMB(bytes)}, read in ${formatMs(readMs)}`);

  const measured = measureInProcess(files, options.runs);
  printInProcess(measured, bytes, options.runs);

  const accuracy = score(expected.faults, measured.findings);
  printAccuracy(accuracy);

  const kustomize = measureKustomize(files, options.runs, 200);
  console.log(
    `\nKustomize: ${kustomize.tops} overlays built; index with overlays ${formatMs(kustomize.withOverlaysMs)}, every file read as it is ${formatMs(kustomize.plainMs)}: cost ${kustomize.cost.toFixed(2)}x (target <= 2)`,
  );
  console.log(
    `  keystroke in a base built by 5 overlays (change + the base's findings, in process), 200 edits: p50 ${kustomize.keystrokeP50Ms.toFixed(2)} ms, p95 ${kustomize.keystrokeP95Ms.toFixed(2)} ms, max ${kustomize.keystrokeMaxMs.toFixed(2)} ms`,
  );

  let server: ServerRun | undefined;
  const target = options.skipServer ? undefined : findEditTarget(expected.faults, files);
  if (!options.skipServer && !target) console.log('\nLanguage server: skipped, no Service with a planted fault has a block-style selector to type into.');
  if (target) {
    collectGarbage();
    console.log(
      `\nLanguage server (${options.server}): editing ${target.file.relative}:${target.line + 1}, selector value "${target.selectorValue}" (Service ${target.fault.namespace}/${target.fault.service}, ${target.fault.type})`,
    );
    server = await measureServer({
      serverPath: options.server,
      root: workspace.root,
      target,
      edits: options.edits,
      profileDirectory: options.profileServer,
    });
    if (options.profileServer !== undefined) console.log(`  CPU profile of the server written to ${options.profileServer}`);
    printServer(server, measured.findings.length);
  }

  let warmStart: WarmStart | undefined;
  if (!options.skipServer && !options.skipWarmStart) {
    warmStart = await measureWarmStart(options.server, workspace.root);
    console.log(
      `\nWarm start (initialized → end of the scan, every diagnostic sent): cold ${formatMs(warmStart.coldMs)}, warm ${formatMs(warmStart.warmMs)}, ${(warmStart.coldMs / warmStart.warmMs).toFixed(1)}× faster (target ≥ 20×); ${warmStart.sameDiagnostics ? 'same diagnostics' : 'DIFFERENT diagnostics'}; ${warmStart.cacheLog ?? 'no cache log line'}`,
    );
  }

  const benchPeak = ownPeakRssMB();
  const loadAfter = os.loadavg()[0] ?? 0;
  console.log(`\nLoad average (1 min) before ${loadBefore.toFixed(2)}, after ${loadAfter.toFixed(2)}: other work on the machine makes timings noisy.`);
  console.log(`\nPeak RSS: language server process ${server?.peakRssMB === undefined ? 'n/a' : `${server.peakRssMB.toFixed(1)} MB`} (reported as peakRssMB); this benchmark process ${benchPeak.toFixed(1)} MB (every text in memory plus one index or yaml parse at a time).`);

  const ratio = measured.yamlParseAllMs / measured.indexMs;
  const other = Object.fromEntries(Object.entries(accuracy.other).map(([rule, entry]) => [rule, entry.count]));
  const summary = {
    services,
    files: files.length,
    bytes,
    indexMs: round(measured.indexMs, 1),
    yamlParseAllMs: round(measured.yamlParseAllMs, 1),
    ratio: round(ratio, 2),
    keystrokeP50Ms: server ? round(percentile(server.latencies, 50), 2) : null,
    keystrokeP95Ms: server ? round(percentile(server.latencies, 95), 2) : null,
    completionP95Ms: server ? round(percentile(server.authoring.completion, 95), 2) : null,
    definitionP95Ms: server ? round(percentile(server.authoring.definition, 95), 2) : null,
    codeLensP95Ms: server ? round(percentile(server.authoring.codeLens, 95), 2) : null,
    peakRssMB: server?.peakRssMB === undefined ? null : round(server.peakRssMB, 1),
    recall: round(accuracy.recall, 4),
    precision: round(accuracy.precision, 4),
    timingBasis: 'in-memory texts',
    readMs: round(readMs, 1),
    setFilesMs: round(measured.setFilesMs, 1),
    findingsMs: round(measured.findingsMs, 1),
    serverIndexMs: server ? round(server.indexMs, 1) : null,
    serverRssAfterScanMB: server?.rssAfterScanMB === undefined ? null : round(server.rssAfterScanMB, 1),
    benchPeakRssMB: round(benchPeak, 1),
    lineAgreement: accuracy.lineAgreement,
    matchedFindings: accuracy.matchedFindings,
    otherFindings: other,
    runs: options.runs,
    loadAverage: [round(loadBefore, 2), round(loadAfter, 2)],
    edits: server ? server.latencies.length : 0,
    warmStartColdMs: warmStart ? round(warmStart.coldMs, 1) : null,
    warmStartWarmMs: warmStart ? round(warmStart.warmMs, 1) : null,
    warmStartSameDiagnostics: warmStart ? warmStart.sameDiagnostics : null,
    hoverWaitMaxMs: server && server.hoverWaits.length > 0 ? round(Math.max(...server.hoverWaits), 1) : null,
    hoverWaitP95Ms: server && server.hoverWaits.length > 0 ? round(percentile(server.hoverWaits, 95), 1) : null,
    kustomizeTops: kustomize.tops,
    kustomizeCost: round(kustomize.cost, 2),
    kustomizeKeystrokeP95Ms: round(kustomize.keystrokeP95Ms, 2),
  };
  console.log(JSON.stringify(summary));
}

function printInProcess(result: InProcessResult, bytes: number, runs: number): void {
  const list = (values: readonly number[]): string => values.map((value) => value.toFixed(0)).join(', ');
  console.log(`\nIn process, from texts in memory (median of ${runs} runs, full GC before each${result.gcExposed ? '' : ' — NOT available: run node with --expose-gc'}):`);
  console.log(
    `  index (new Workspace, setFiles, allFindings): ${formatMs(result.indexMs)}  [setFiles ${formatMs(result.setFilesMs)}, findings ${formatMs(result.findingsMs)}]  runs: ${list(result.indexRuns)}  ${formatRate(bytes, result.indexMs)}`,
  );
  console.log(
    `  yaml parseAllDocuments over every file:      ${formatMs(result.yamlParseAllMs)}  runs: ${list(result.yamlRuns)}  ${formatRate(bytes, result.yamlParseAllMs)}  (${result.yamlDocuments} documents, ${result.yamlErrors} errors)`,
  );
  console.log(`  ratio yaml / index: ${(result.yamlParseAllMs / result.indexMs).toFixed(2)}`);
  if (result.retainedHeapMB !== undefined) console.log(`  heap kept by one indexed Workspace: ${result.retainedHeapMB.toFixed(1)} MB (not counting file texts it shares with this process)`);
  console.log(`  findings: ${result.findings.length}; files with skipped documents: ${result.filesWithSkips}`);
}

function printAccuracy(accuracy: Accuracy): void {
  console.log(`\nAgainst expected.json (match on fault type, file, namespace, Service):`);
  console.log(
    `  recall ${accuracy.recall.toFixed(4)} (${accuracy.foundFaults}/${accuracy.faults} faults found), precision ${accuracy.precision.toFixed(4)} (${accuracy.matchedFindings}/${accuracy.findings} findings of the five mapped rules match a fault)`,
  );
  console.log(
    `  line agreement: ${accuracy.lineAgreement}/${accuracy.matchedFindings} matched findings start on the fault's line (for selector faults that line is the \`selector:\` key; a finding may start at a narrower range, such as the differing pair)`,
  );
  for (const [type, entry] of Object.entries(accuracy.byType)) {
    console.log(
      `    ${type.padEnd(31)} faults ${String(entry.faults).padStart(4)}  found ${String(entry.foundFaults).padStart(4)}  findings ${String(entry.findings).padStart(4)}  matched ${String(entry.matchedFindings).padStart(4)}  on fault line ${String(entry.onFaultLine).padStart(4)}`,
    );
  }
  for (const fault of accuracy.missed.slice(0, 5)) console.log(`  missed: ${fault.type} ${fault.file}:${fault.line} ${fault.namespace}/${fault.service}`);
  for (const located of accuracy.unmatched.slice(0, 5)) console.log(`  unmatched: ${located.finding.ruleId} ${located.file}:${located.line} ${located.finding.message}`);
  const other = Object.entries(accuracy.other);
  if (other.length === 0) {
    console.log('  other findings (rules the generator does not model): none');
    return;
  }
  console.log('  other findings (rules the generator does not model; not counted in precision):');
  for (const [rule, entry] of other) {
    console.log(`    ${rule}: ${entry.count}`);
    for (const example of entry.examples) console.log(`      e.g. ${example}`);
  }
}

function printServer(server: ServerRun, inProcessFindings: number): void {
  console.log(`  scan: ${formatMs(server.indexMs)} from initialized to the end of the scan progress (all diagnostics received)${server.indexLog ? `; server log: "${server.indexLog}"` : ''}`);
  const parity = server.diagnostics === inProcessFindings ? 'same as in process' : `in process: ${inProcessFindings} — DIFFERENT`;
  console.log(`  diagnostics after the scan: ${server.diagnostics} in ${server.filesWithDiagnostics} files (${parity})`);
  const mb = (value: number | undefined): string => (value === undefined ? 'n/a' : `${value.toFixed(1)} MB`);
  console.log(`  server resident set: ${mb(server.rssAfterScanMB)} after the scan, ${mb(server.rssAfterEditsMB)} after the edits, peak ${mb(server.peakRssMB)}`);
  console.log(`  didOpen → diagnostics: ${formatMs(server.openMs)}`);
  const latencies = server.latencies;
  console.log(
    `  ${latencies.length} edits, didChange → publishDiagnostics of that version: p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms, max ${Math.max(...latencies).toFixed(2)} ms; ${server.toggles} edits changed the file's diagnostics`,
  );
  const waits = server.hoverWaits;
  if (waits.length > 0) {
    console.log(`  ${waits.length} hovers during the scan, wait for the answer: p50 ${percentile(waits, 50).toFixed(2)} ms, p95 ${percentile(waits, 95).toFixed(2)} ms, max ${Math.max(...waits).toFixed(2)} ms (target: max ≤ 100 ms)`);
  }
  for (const [name, values] of [['completion', server.authoring.completion], ['definition', server.authoring.definition], ['code lens', server.authoring.codeLens]] as const) {
    const answered = server.authoring.answered[name === 'code lens' ? 'codeLens' : name] ? 'answered' : 'EMPTY answers';
    console.log(`  ${values.length} ${name} requests at the edited selector: p50 ${percentile(values, 50).toFixed(2)} ms, p95 ${percentile(values, 95).toFixed(2)} ms, max ${Math.max(...values).toFixed(2)} ms (${answered})`);
  }
  for (const error of server.errors.slice(0, 5)) console.log(`  server error: ${error.split('\n')[0] ?? ''}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);

