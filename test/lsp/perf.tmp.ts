import * as fs from 'node:fs';
import { LspSession } from './harness';
void (async () => {
  const t0 = Date.now();
  const session = await LspSession.start({ fixture: '.perftmp', prepare: (root) => fs.cpSync('/tmp/sl-bench', root, { recursive: true }) });
  const t1 = Date.now();
  const withFindings = [...session.diagnostics.values()].filter((d) => d.diagnostics.length > 0).length;
  console.log('scan+publish ms', t1 - t0, 'published', session.diagnostics.size, 'with findings', withFindings, session.logs.slice(-3));
  // keystrokes on one file
  const file = [...session.diagnostics.keys()].find((u) => u.endsWith('.yaml'))!;
  const rel = new URL(file).pathname.slice(session.root.length + 1);
  let text = session.read(rel);
  await session.open(rel, text);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = process.hrtime.bigint();
    const { version, text: next } = await session.edit(rel, text, '\n', i % 2 ? '\n' : ' \n');
    text = next;
    await session.waitForVersion(rel, version);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log('keystroke p50', times[100], 'p95', times[190]);
  await session.dispose();
})();
