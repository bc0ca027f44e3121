/**
 * Command-line options of the benchmark. Paths default relative to the repository root (the current
 * directory when run through `npm run bench`).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { SHAPES, type Shape } from './shapes';

export interface BenchOptions {
  /** Services to generate; required unless an existing workspace is given. */
  readonly services: number | undefined;
  readonly seed: string;
  readonly generator: string;
  /** An existing generated workspace (a folder with expected.json) instead of generating one. */
  readonly workspace: string | undefined;
  /** Keep the generated workspace instead of deleting it at the end. */
  readonly keep: boolean;
  /** Timed runs of the in-process index and of the yaml parse (the median is reported). */
  readonly runs: number;
  /** Single-character edits sent to the language server. */
  readonly edits: number;
  readonly server: string;
  /** Leave out the language-server part (keystroke latency, server index time and RSS). */
  readonly skipServer: boolean;
  /** Where the language server writes a CPU profile (node --cpu-prof), when given. */
  readonly profileServer: string | undefined;
  /** The workspace's shape: the generator's (default), N identical files, or N pairs in one file. */
  readonly shape: Shape;
  /** The CLI bundle (timed on the duplicates and onefile shapes). */
  readonly cli: string;
  /** Leave out the warm-start figure (two more server scans of the generated workspace). */
  readonly skipWarmStart: boolean;
}

export const USAGE = `Usage: node --expose-gc dist/bench.js (--services N | --workspace DIR) [options]

  --services N        generate a workspace with N Services
  --workspace DIR     reuse a workspace generated earlier (it holds expected.json)
  --seed S            generator seed (default 1)
  --generator PATH    the workspace generator (default ../shared/bench/gen-workspace.mjs)
  --keep              keep the generated workspace and print where it is
  --runs N            timed runs of indexing and of the yaml parse (default 3; the median is reported)
  --edits N           single-character edits sent to the language server (default 200)
  --server PATH       the language server bundle (default dist/server.js)
  --skip-server       measure in process only (no keystroke latency)
  --shape S           generated (default), duplicates (N identical files, a Service that matches
                      nothing beside a Deployment) or onefile (N Service/Deployment pairs in one file)
  --skip-warm-start   leave out the warm start (a server scan with a fact cache against one without)
  --profile-server DIR
                      run the language server with --cpu-prof, writing the profile into DIR`;

export class UsageError extends Error {}

export function parseOptions(argv: readonly string[], root: string): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        services: { type: 'string' },
        seed: { type: 'string', default: '1' },
        generator: { type: 'string' },
        workspace: { type: 'string' },
        keep: { type: 'boolean', default: false },
        runs: { type: 'string', default: '3' },
        edits: { type: 'string', default: '200' },
        server: { type: 'string' },
        'skip-server': { type: 'boolean', default: false },
        'profile-server': { type: 'string' },
        shape: { type: 'string', default: 'generated' },
        'skip-warm-start': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const shape = SHAPES.find((candidate) => candidate === values.shape);
  if (shape === undefined) throw new UsageError(`--shape is one of ${SHAPES.join(', ')}, not ${JSON.stringify(values.shape)}.`);
  if (shape !== 'generated' && values.services === undefined) throw new UsageError(`--shape ${shape} needs --services N.`);
  const services = values.services === undefined ? undefined : positiveInteger('--services', values.services);
  if (services === undefined && values.workspace === undefined) {
    throw new UsageError('Give --services N, or --workspace DIR to reuse a generated workspace.');
  }
  return {
    services,
    seed: values.seed,
    generator: path.resolve(root, values.generator ?? path.join('..', 'shared', 'bench', 'gen-workspace.mjs')),
    workspace: values.workspace === undefined ? undefined : path.resolve(root, values.workspace),
    keep: values.keep,
    runs: positiveInteger('--runs', values.runs),
    edits: positiveInteger('--edits', values.edits),
    server: path.resolve(root, values.server ?? path.join('dist', 'server.js')),
    skipServer: values['skip-server'],
    profileServer: values['profile-server'] === undefined ? undefined : path.resolve(root, values['profile-server']),
    shape,
    cli: path.resolve(root, 'dist', 'cli.js'),
    skipWarmStart: values['skip-warm-start'],
  };
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${name} needs a positive integer, not ${JSON.stringify(text)}.`);
  }
  return value;
}
