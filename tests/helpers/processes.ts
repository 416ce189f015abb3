// Real child processes of the product (server, worker, all-in-one), run from sources.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../core/platform/paths';
import { adminToken, redisUrl, testDatabaseUrl } from './env';

export interface Child {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a TypeScript entry under node (with extra node flags, e.g. --cpu-prof, if given). */
export function spawnEntry(
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Child {
  const args = [...nodeArgs, '--require', 'tsx/cjs', path.join(projectRoot, entry)];
  const proc = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  return { proc, stdout: () => out, stderr: () => err, exited };
}

/** Resolves when the process logs a line containing `text`, or rejects after timeoutMs. */
export function waitForOutput(child: Child, text: string, timeoutMs = 20000): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const all = child.stdout() + child.stderr();
      if (all.includes(text)) {
        cleanup();
        resolve(all);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(
          `No "${text}" within ${timeoutMs} ms; output:\n${child.stdout()}${child.stderr()}`,
        ),
      );
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.proc.stdout?.off('data', check);
      child.proc.stderr?.off('data', check);
    };
    child.proc.stdout?.on('data', check);
    child.proc.stderr?.on('data', check);
    check();
  });
}

/** A product process's environment: the shared Redis, its own prefix and database. */
export function processEnv(prefix: string, extra: Record<string, string> = {}) {
  return {
    REDIS_URL: redisUrl,
    DATABASE_URL: testDatabaseUrl(prefix),
    REDIS_KEY_PREFIX: prefix,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Kills a child still running (a test's clean-up, whatever happened before). */
export async function killIfRunning(child: Child | undefined): Promise<void> {
  if (child && child.proc.exitCode === null && child.proc.signalCode === null) {
    child.proc.kill('SIGKILL');
    await child.exited;
  }
}
