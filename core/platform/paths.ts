// Locates the project root, the same from sources (tsx, jest) and from dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'lua'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`lua/ folder not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(__dirname);
export const luaDir = path.join(projectRoot, 'lua');
