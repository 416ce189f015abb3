// `npm run bench:profile -- <case>`: where the time goes. Runs the server and the
// bare baseline under node --cpu-prof, loads each with the case's requests for
// BENCH_PROFILE_SECONDS, stops them (the profile is written at exit) and prints
// the top self-time owners and functions of both, side by side.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/platform/paths';
import { cases } from './cases';
import type { HttpCase } from './lib/compare';
import {
  monotonicUs,
  renderSummary,
  summarise,
  type CpuProfile,
  type Window,
} from './lib/cpuProfile';
import { loadRound, type Round } from './lib/load';
import { loadSettings } from './lib/settings';
import { startBenchSystem } from './lib/system';

const isHttpCase = (c: (typeof cases)[number]): c is HttpCase => 'prepare' in c;

async function main() {
  const id = process.argv[2] ?? 'join';
  const benchCase = cases.find((c) => c.id === id);
  if (!benchCase || !isHttpCase(benchCase)) {
    const ids = cases.filter(isHttpCase).map((c) => c.id);
    throw new Error(`Usage: npm run bench:profile -- <${ids.join('|')}>`);
  }
  const settings = loadSettings();
  const dir = path.join(projectRoot, '.artifacts', 'profiles', id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const prof = (name: string) => ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`];
  const system = await startBenchSystem(settings, {
    serverNodeArgs: prof('server.cpuprofile'),
    bareNodeArgs: prof('bare.cpuprofile'),
    // A case on a server of its own (join-hs256, join-es256, join-pow): that one is profiled.
    extraNodeArgs: prof('extra.cpuprofile'),
  });
  let serverProfile = 'server.cpuprofile';
  let title = id;
  let windows: { server?: Window; bare?: Window } = {};
  try {
    const comparison = await benchCase.prepare(system);
    title = comparison.name;
    if (comparison.subject.pid !== system.serverPid) serverProfile = 'extra.cpuprofile';
    const options = {
      seconds: settings.BENCH_PROFILE_SECONDS,
      connections: settings.BENCH_CONNECTIONS,
      redis: system.redis,
    };
    // Profiles are trimmed to the load windows: start-up and idle waiting are not the figure.
    const timed = async (run: () => Promise<Round>) => {
      const fromUs = monotonicUs();
      const round = await run();
      return { round, window: { fromUs, toUs: monotonicUs() } };
    };
    const subject = await timed(() => loadRound(comparison.subject, options));
    const baseline = await timed(() => loadRound(comparison.baseline, options));
    windows = { server: subject.window, bare: baseline.window };
    process.stderr.write(
      `profile ${id}: ${Math.round(subject.round.rps)} req/s vs bare ${Math.round(baseline.round.rps)} req/s\n`,
    );
  } finally {
    await system.stop();
  }
  const read = (name: string, window?: Window) =>
    summarise(JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as CpuProfile, window);
  const report = [
    `## Profile: ${title} (${settings.BENCH_PROFILE_SECONDS} s of load each, node ${process.version})`,
    '',
    renderSummary(`server (${id})`, read(serverProfile, windows.server)),
    '',
    renderSummary('bare Express baseline', read('bare.cpuprofile', windows.bare)),
  ].join('\n');
  writeFileSync(path.join(projectRoot, '.artifacts', `profile-${id}.md`), `${report}\n`);
  process.stdout.write(`${report}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`profile failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
