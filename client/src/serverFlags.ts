/**
 * The V8 flags the language server process runs with: the VS Code extension starts it with them
 * (languageClient.ts) and the benchmark measures it with them (scripts/bench).
 *
 * `--max-semi-space-size=2` (MB): a small young generation. The server's scan makes many
 * short-lived objects; with V8's default semi-spaces (up to 16 MB) that garbage adds about 40 MB to
 * the server's peak memory on a 10,000-Service workspace, and small ones cost a few percent of scan
 * time. Flag documented by `node --v8-options`; figures in docs/benchmark.md.
 *
 * `--heap-growing-percent` was measured too: at 75 it took about 50 MB off the peak of a model that
 * kept 135 MB, but it makes full collections more frequent, and once keystrokes re-linked only what
 * they changed its marking steps were most of the keystroke p95 (14–16 ms against 9–10 ms), for a
 * peak already under 300 MB without it (docs/limits.md).
 */
export const SERVER_HEAP_FLAGS = ['--max-semi-space-size=2'] as const;
