// The bench's one table: to stdout and to .artifacts/bench.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../core/platform/paths';
import type { Row } from '../cases/types';

export interface RunFacts {
  settings: { BENCH_ROUNDS: number; BENCH_SECONDS: number; BENCH_CONNECTIONS: number };
  redisVersion: string;
  elapsedSeconds: number;
}

export function renderTable(rows: Row[], facts: RunFacts): string {
  const { BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS } = facts.settings;
  const header = [
    'case',
    'figure (median)',
    'p99',
    'baseline (same run)',
    'ratio',
    'goal',
    'met',
    'CPU per request',
  ];
  const lines = rows.map((r) => [
    r.case,
    r.figure,
    r.p99,
    r.baseline,
    r.ratio,
    r.goal,
    r.met === null ? '-' : r.met ? 'yes' : 'NO',
    r.cpu,
  ]);
  return [
    `bench ${new Date().toISOString()}: ${BENCH_ROUNDS} rounds x ${BENCH_SECONDS}s, ` +
      `${BENCH_CONNECTIONS} connections; node ${process.version}, Redis ${facts.redisVersion}, ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); took ${Math.round(facts.elapsedSeconds)} s.`,
    'Ratios are medians of per-round ratios, each round run back to back with its baseline.',
    'CPU per request: user+system time of the serving process / requests served (from /proc),',
    'and bare/subject: the throughput ratio to expect where that process has a core to itself;',
    "Redis: Redis's CPU time per request in the same rounds (INFO cpu; any other client adds to it).",
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...lines.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}

export function writeReport(table: string): string {
  const outDir = path.join(projectRoot, '.artifacts');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'bench.md');
  writeFileSync(file, `${table}\n`);
  return file;
}
