/**
 * The V8 flags the language server process runs with: the VS Code extension starts it with them
 * (languageClient.ts) and the benchmark measures it with them (scripts/bench/languageServer.ts).
 *
 * The server keeps a model of every manifest of the workspace and makes many short-lived objects
 * while it scans and while the user types. With V8's defaults, garbage adds as much again as the
 * model to the server's peak memory. Two flags bound it:
 * - `--max-semi-space-size=2` (MB): a small young generation. The scan's garbage would otherwise
 *   add about 40 MB to the peak at 10,000 Services, for a few percent of scan time.
 * - `--heap-growing-percent=75`: after a full collection the old generation may grow by 75% of
 *   what survived before the next one starts. V8 otherwise picks a factor of up to 4 from its own
 *   speed figures; edits after a scan then fill the heap with the model's replaced objects until
 *   that limit. At 10,000 Services the peak falls by about 50 MB, for about a tenth more scan time.
 *
 * Flags documented by `node --v8-options`; figures in docs/benchmark.md.
 */
export const SERVER_HEAP_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=75'] as const;
