// Summarises a V8 .cpuprofile (node --cpu-prof): where self time went, by
// package / module and by function. Self time of a node = the sampling intervals
// whose sample landed in it, so the numbers add up to the profiled time.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { projectRoot } from '../../core/platform/paths';
import { fixed } from './stats';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Monotonic clock, µs: the same clock as process.hrtime in any process on this machine. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock in µs, e.g. the seconds a load ran (start-up excluded). */
export interface Window {
  fromUs: number;
  toUs: number;
}

/** The monotonic clock now, in µs, comparable with a profile's sample times. */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const special = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** A readable owner for a frame: a package, a node core module, a project file, V8. */
export function ownerOf(frame: CallFrame): string {
  if (special.has(frame.functionName)) return frame.functionName;
  const { url } = frame;
  if (url === '') return '(native: V8 builtins, bindings, syscalls)';
  if (url.startsWith('node:')) {
    return url.replace(/^node:(internal\/)?/, 'node:').replace(/^(node:[^/]+)\/.*$/, '$1');
  }
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file.split(path.sep).join('/'));
  if (pkg?.[1]) return pkg[1];
  return path.relative(projectRoot, file) || file;
}

interface Entry {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  owners: Entry[];
  functions: Entry[];
}

export function summarise(profile: CpuProfile, window?: Window): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    const owner = ownerOf(frame);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${owner}:${frame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  });
  const sorted = (map: Map<string, number>) =>
    [...map.entries()].map(([name, us]) => ({ name, ms: us / 1000 })).sort((a, b) => b.ms - a.ms);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    owners: sorted(owners),
    functions: sorted(functions),
  };
}

export function renderSummary(title: string, summary: ProfileSummary, top = 15): string {
  const busy = summary.totalMs - summary.idleMs;
  const pct = (ms: number) => `${fixed((100 * ms) / busy, 1)}%`;
  return [
    `### ${title}`,
    '',
    `Profiled ${fixed(summary.totalMs)} ms, busy ${fixed(busy)} ms (idle ${fixed(summary.idleMs)} ms). Self time, share of busy:`,
    '',
    '| owner | self ms | share |',
    '| --- | --- | --- |',
    ...summary.owners.slice(0, top).map((e) => `| ${e.name} | ${fixed(e.ms)} | ${pct(e.ms)} |`),
    '',
    '| function | self ms | share |',
    '| --- | --- | --- |',
    ...summary.functions.slice(0, top).map((e) => `| ${e.name} | ${fixed(e.ms)} | ${pct(e.ms)} |`),
  ].join('\n');
}
