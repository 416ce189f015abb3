// Helpers both benches share: child-process ports, percentiles, the report file.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/paths';
import { waitForOutput, type Child } from '../tests/helpers/processes';

export async function listeningPort(child: Child, text: string): Promise<number> {
  const output = await waitForOutput(child, text);
  const match = /"port":(\d+)|listening on (\d+)/.exec(output);
  return Number(match?.[1] ?? match?.[2]);
}

/** The value below which `p` (0-1) of the samples fall. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export const median = (values: number[]) => percentile(values, 0.5);

/** Prints a report and writes it to .artifacts/bench.md (the first bench of a run starts the file). */
export function report(text: string, { append }: { append: boolean }): void {
  process.stdout.write(`${text}\n`);
  const outDir = path.join(projectRoot, '.artifacts');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'bench.md');
  if (append) appendFileSync(file, `\n${text}\n`);
  else writeFileSync(file, `${text}\n`);
}
