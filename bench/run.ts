// `npm run bench`: figures measured side by side in one run, each a median of
// repeated rounds and, for HTTP, a ratio to the bare baseline from the same run.
// It reports and exits 0 whether or not a goal is met: tests judge behaviour.
import { cases } from './cases';
import type { Row } from './cases/types';
import { renderTable, writeReport } from './lib/report';
import { loadSettings } from './lib/settings';
import { startBenchSystem } from './lib/system';

async function main() {
  const startedAt = performance.now();
  const settings = loadSettings();
  const wanted = settings.BENCH_CASES?.split(',').map((id) => id.trim());
  const selected = cases.filter((c) => !wanted || wanted.includes(c.id));
  const system = await startBenchSystem(settings);
  const rows: Row[] = [];
  let redisVersion = '?';
  try {
    redisVersion = /redis_version:(\S+)/.exec(await system.redis.info('server'))?.[1] ?? '?';
    for (const benchCase of selected) {
      process.stderr.write(`bench: ${benchCase.id}...\n`);
      try {
        rows.push(...(await benchCase.run(system)));
      } catch (err) {
        // One broken case should not hide the others' figures.
        const message = err instanceof Error ? err.message : String(err);
        rows.push({
          case: `${benchCase.id}: FAILED (${message})`,
          figure: '-',
          p99: '-',
          cpu: '-',
          baseline: '-',
          ratio: '-',
          goal: '-',
          met: null,
        });
      }
    }
  } finally {
    await system.stop();
  }
  const table = renderTable(rows, {
    settings,
    redisVersion,
    elapsedSeconds: (performance.now() - startedAt) / 1000,
  });
  process.stdout.write(`${table}\n`);
  process.stderr.write(`bench: written to ${writeReport(table)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
