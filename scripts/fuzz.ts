/**
 * Fuzzes the engine on demand: runs N generated cases (mutated and truncated real manifests, random
 * bytes, token soup, generated manifests with hostile values, deep nesting, long lines, alias bombs;
 * see test/fuzz/) in worker threads and prints one summary line:
 *
 *   fuzz: 100000 cases, 0 exceptions, 0 timeouts, 0 invalid, max 12.3 ms, seed 42
 *
 *   npm run fuzz -- --cases 100000 [--seed N] [--workers N] [--timeout-ms N]
 *   npm run fuzz -- --seed N --case I      replay one case, shrink it and write its files
 *
 * A case that runs longer than --timeout-ms counts as a timeout; one that runs longer than
 * --hang-ms is stopped (its worker is replaced) and counts as a timeout too. Exit code 1 when any
 * case failed, 2 on bad usage.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { FULL_SCALE, SCHEDULE, caseArb, caseAt, caseSeed, type FuzzCase } from '../test/fuzz/arbitraries';
import { describeProblems, runCase, type Problem } from '../test/fuzz/runCase';
import { loadSeeds } from '../test/fuzz/seeds';

interface Options {
  readonly cases: number;
  readonly seed: number;
  readonly workers: number;
  readonly timeoutMs: number;
  readonly hangMs: number;
  /** The repository root (seeds come from examples/ and ../shared). */
  readonly root: string;
  /** Replay this one case instead of a run. */
  readonly replay: number | undefined;
}

interface WorkerInput {
  readonly root: string;
  readonly seed: number;
  readonly first: number;
  readonly step: number;
  readonly end: number;
}

/** A worker says it loaded its seeds, then sends one message per case. */
interface ReadyMessage {
  readonly ready: true;
}

interface CaseMessage {
  readonly index: number;
  readonly durationMs: number;
  readonly family: string;
  readonly problems: readonly Problem[];
}

interface Failure {
  readonly index: number;
  readonly family: string;
  readonly summary: string;
}

const USAGE = `Usage: npm run fuzz -- [--cases N] [--seed N] [--workers N] [--timeout-ms N] [--hang-ms N]
       npm run fuzz -- --seed N --case I

  --cases N        cases to run (default 100000)
  --seed N         run seed, a 32-bit integer (default: random, printed)
  --workers N      worker threads (default: the number of CPUs, at most 4)
  --timeout-ms N   a case slower than this counts as a timeout (default 2000)
  --hang-ms N      a case slower than this is stopped and counts as a timeout (default 60000)
  --root DIR       the repository root (default: the folder above this script)
  --case I         replay case I of the seed: print its problems, shrink it, write its files`;

/** Failures printed in full; the rest are counted. */
const SHOWN_FAILURES = 10;

/** The repository root: the bundle runs from dist/, the source from scripts/. */
const DEFAULT_ROOT = path.resolve(__dirname, '..');

class UsageError extends Error {}

function parseOptions(argv: readonly string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        cases: { type: 'string', default: '100000' },
        seed: { type: 'string' },
        workers: { type: 'string', default: String(Math.min(4, os.availableParallelism())) },
        'timeout-ms': { type: 'string', default: '2000' },
        'hang-ms': { type: 'string', default: '60000' },
        case: { type: 'string' },
        root: { type: 'string', default: DEFAULT_ROOT },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) throw new UsageError('');
  const integer = (name: string, text: string | undefined, minimum: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) throw new UsageError(`--${name} must be an integer ≥ ${minimum}, not ${JSON.stringify(text)}`);
    return value;
  };
  return {
    cases: integer('cases', values.cases, 1),
    seed: values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : integer('seed', values.seed, 0) | 0,
    workers: integer('workers', values.workers, 1),
    timeoutMs: integer('timeout-ms', values['timeout-ms'], 1),
    hangMs: integer('hang-ms', values['hang-ms'], 1),
    root: path.resolve(values.root),
    replay: values.case === undefined ? undefined : integer('case', values.case, 0),
  };
}

// ---- worker ------------------------------------------------------------------------------------

function runWorker(input: WorkerInput): void {
  const seeds = loadSeeds(input.root);
  const ready: ReadyMessage = { ready: true };
  parentPort?.postMessage(ready);
  for (let index = input.first; index < input.end; index += input.step) {
    const fuzzCase = caseAt(seeds, input.seed, index);
    const outcome = runCase(fuzzCase, { lspPositions: true });
    const message: CaseMessage = { index, durationMs: outcome.durationMs, family: fuzzCase.family, problems: outcome.problems };
    parentPort?.postMessage(message);
  }
}

// ---- main --------------------------------------------------------------------------------------

class Run {
  private done = 0;
  private exceptions = 0;
  private timeouts = 0;
  private invalid = 0;
  private maxMs = 0;
  private readonly maxByFamily = new Map<string, number>();
  private readonly failures: Failure[] = [];
  private readonly started = Date.now();
  private lastReport = Date.now();
  /** Why a worker failed before its first case (then nothing can run). */
  private fatal: string | undefined;

  constructor(private readonly options: Options) {}

  async execute(): Promise<number> {
    const workers = Math.min(this.options.workers, this.options.cases);
    await Promise.all(Array.from({ length: workers }, (_, lane) => this.lane(lane, workers)));
    if (this.fatal) {
      console.error(`fuzz: a worker could not start: ${this.fatal}`);
      return 2;
    }
    for (const [family, max] of [...this.maxByFamily].sort()) console.log(`  ${family.padEnd(10)} max ${max.toFixed(1)} ms`);
    for (const failure of this.failures.slice(0, SHOWN_FAILURES)) {
      console.log(`case ${failure.index} (${failure.family}): ${failure.summary}\n  replay: npm run fuzz -- --seed ${this.options.seed} --case ${failure.index}`);
    }
    if (this.failures.length > SHOWN_FAILURES) console.log(`… and ${this.failures.length - SHOWN_FAILURES} more failing cases`);
    console.log(this.summary());
    return this.failures.length > 0 ? 1 : 0;
  }

  /** Runs cases first, first + step, … in a worker, replacing the worker after a hang. */
  private async lane(first: number, step: number): Promise<void> {
    let next = first;
    while (next < this.options.cases && this.fatal === undefined) {
      next = await this.runWorker(next, step);
    }
  }

  /** Runs a worker from `first`; resolves with the index to continue from (past the end when finished). */
  private runWorker(first: number, step: number): Promise<number> {
    const input: WorkerInput = { root: this.options.root, seed: this.options.seed, first, step, end: this.options.cases };
    const worker = new Worker(__filename, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    let current = first;
    let caseStarted = Date.now();
    let ready = false;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (continueAt: number): void => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        void worker.terminate();
        resolve(continueAt);
      };
      const watchdog = setInterval(() => {
        if (!ready || Date.now() - caseStarted <= this.options.hangMs) return;
        // Recorded as a case that took this long: a timeout.
        this.record({ index: current, durationMs: Date.now() - caseStarted, family: familyOf(current), problems: [] });
        finish(current + step);
      }, 250);
      worker.on('message', (message: CaseMessage | ReadyMessage) => {
        if ('ready' in message) {
          ready = true;
          caseStarted = Date.now();
          return;
        }
        this.record(message);
        current = message.index + step;
        caseStarted = Date.now();
      });
      worker.on('error', (error) => {
        if (!ready) {
          this.fatal = error.message;
          finish(this.options.cases);
          return;
        }
        this.exceptions++;
        this.done++;
        this.fail(current, familyOf(current), `the worker failed: ${error.message}`);
        finish(current + step);
      });
      worker.on('exit', () => finish(current));
    });
  }

  private record(message: CaseMessage): void {
    this.done++;
    this.maxMs = Math.max(this.maxMs, message.durationMs);
    this.maxByFamily.set(message.family, Math.max(this.maxByFamily.get(message.family) ?? 0, message.durationMs));
    const exceptions = message.problems.filter((problem) => problem.kind === 'exception');
    if (exceptions.length > 0) this.exceptions++;
    else if (message.problems.length > 0) this.invalid++;
    if (message.durationMs > this.options.timeoutMs) {
      this.timeouts++;
      this.fail(message.index, message.family, `took ${message.durationMs.toFixed(0)} ms (bound ${this.options.timeoutMs} ms)`);
    }
    if (message.problems.length > 0) this.fail(message.index, message.family, firstLines(describeProblems(message.problems), 4));
    if (Date.now() - this.lastReport > 10_000) {
      this.lastReport = Date.now();
      const seconds = (Date.now() - this.started) / 1000;
      console.error(`${this.summary()} (${seconds.toFixed(0)} s, ${(this.done / seconds).toFixed(0)} cases/s)`);
    }
  }

  private fail(index: number, family: string, summary: string): void {
    this.failures.push({ index, family, summary });
  }

  private summary(): string {
    return `fuzz: ${this.done} cases, ${this.exceptions} exceptions, ${this.timeouts} timeouts, ${this.invalid} invalid, max ${this.maxMs.toFixed(1)} ms, seed ${this.options.seed}`;
  }
}

function familyOf(index: number): string {
  return SCHEDULE[index % SCHEDULE.length]!;
}

function firstLines(text: string, count: number): string {
  return text.split('\n').slice(0, count).join('\n  ');
}

/** Replays one case in this thread, shrinks it when it fails, and writes its files to a temporary folder. */
function replay(options: Options, index: number): number {
  const seeds = loadSeeds(options.root);
  const fuzzCase = caseAt(seeds, options.seed, index);
  const outcome = runCase(fuzzCase, { lspPositions: true });
  console.log(`case ${index} (${fuzzCase.family}): ${outcome.durationMs.toFixed(1)} ms, ${outcome.problems.length} problems`);
  if (outcome.problems.length > 0) console.log(describeProblems(outcome.problems));
  let minimal: FuzzCase = fuzzCase;
  if (outcome.problems.length > 0) {
    // The same seed makes fast-check draw this very case first, then shrink it.
    const details = fc.check(
      fc.property(caseArb(fuzzCase.family, seeds, FULL_SCALE), (candidate) => runCase(candidate, { lspPositions: true }).problems.length === 0),
      { seed: caseSeed(options.seed, index), numRuns: 1 },
    );
    const shrunk = details.counterexample?.[0];
    if (shrunk) {
      minimal = shrunk;
      console.log(`shrunk to:\n${describeProblems(runCase(shrunk, { lspPositions: true }).problems)}`);
    }
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `service-lens-fuzz-${options.seed}-${index}-`));
  minimal.files.forEach((file, position) => fs.writeFileSync(path.join(directory, `file-${position}.yaml`), file.text));
  fs.writeFileSync(path.join(directory, 'case.json'), JSON.stringify(minimal, null, 2));
  console.log(`files written to ${directory}`);
  return outcome.problems.length > 0 || outcome.durationMs > options.timeoutMs ? 1 : 0;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message ? `${error.message}\n\n${USAGE}` : USAGE);
    return 2;
  }
  if (options.replay !== undefined) return replay(options, options.replay);
  return new Run(options).execute();
}

if (isMainThread) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(2);
    },
  );
} else {
  runWorker(workerData as WorkerInput);
}
