// Loads every lua/<name>-<numberOfKeys>.lua once per connection with ioredis
// defineCommand (ioredis handles EVALSHA and NOSCRIPT). Only the core/room
// modules behind waitingRoom.ts call them. A line `--- @include "includes/<name>"`
// is replaced by lua/includes/<name>.lua (paths relative to the including file),
// as BullMQ does: shared pieces are written once, and each lands once per script.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RedisClient } from '../platform/redis';
import { luaDir } from '../platform/paths';

export const scriptNames = [
  'joinQueue',
  'claimBatch',
  'issueBatch',
  'savePromotion',
  'restorePromotion',
  'returnUnit',
  'resyncCounts',
  'confirmHold',
  'releaseHold',
  'expireHolds',
  'openPrequeue',
  'serveStandby',
  'readShopper',
  'markCoupon',
] as const;
export type ScriptName = (typeof scriptNames)[number];

type RedisArg = string | number;
export type ScriptCall = (...keysAndArgs: RedisArg[]) => Promise<unknown>;
export type Scripts = Record<ScriptName, ScriptCall>;

interface ScriptFile {
  name: string;
  numberOfKeys: number;
  lua: string;
}

const includeLine = /^---[ \t]*@include[ \t]+"([^"]+)"[ \t]*$/gm;

/** The file's Lua with its includes expanded, recursively; one already in `seen` becomes nothing. */
function expandIncludes(file: string, seen: Set<string>): string {
  return readFileSync(file, 'utf8').replace(includeLine, (_line, name: string) => {
    const include = path.resolve(path.dirname(file), `${name}.lua`);
    if (!existsSync(include)) throw new Error(`${file}: include "${name}" not found`);
    if (seen.has(include)) return '';
    seen.add(include);
    return expandIncludes(include, seen).trimEnd();
  });
}

function readScripts(): ScriptFile[] {
  return readdirSync(luaDir)
    .map((file) => /^([A-Za-z]+)-(\d+)\.lua$/.exec(file))
    .filter((match) => match !== null)
    .map(([file, name, keys]) => ({
      name: name ?? '',
      numberOfKeys: Number(keys),
      lua: expandIncludes(path.join(luaDir, file), new Set()),
    }));
}

const registered = new WeakSet<RedisClient>();

/** Defines the scripts on this connection (once) and returns typed callers. */
export function loadScripts(redis: RedisClient): Scripts {
  const files = readScripts();
  if (!registered.has(redis)) {
    for (const file of files) {
      redis.defineCommand(file.name, { numberOfKeys: file.numberOfKeys, lua: file.lua });
    }
    registered.add(redis);
  }
  const commands = redis as unknown as Record<string, ScriptCall | undefined>;
  const scripts = {} as Scripts;
  for (const name of scriptNames) {
    const command = commands[name];
    if (!command) throw new Error(`lua/${name}-N.lua is missing`);
    scripts[name] = command.bind(redis);
  }
  return scripts;
}
