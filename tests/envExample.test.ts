// .env.example is the operator's list of settings: it must name exactly the
// variables the config reads, each with a comment, and its values must be the
// defaults (loading the file gives the same configuration as an empty environment).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { envKeys, loadConfig, type Config } from '../core/platform/config';
import { projectRoot } from '../core/platform/paths';

const lines = readFileSync(path.join(projectRoot, '.env.example'), 'utf8').split('\n');
const assignments = lines
  .map((line, index) => ({ line, index, match: /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line) }))
  .filter((entry) => entry.match !== null);
const example: Record<string, string> = Object.fromEntries(
  assignments.map(({ match }) => [match?.[1] ?? '', match?.[2] ?? '']),
);

test('names every variable the config reads, once, and nothing else', () => {
  const names = assignments.map(({ match }) => match?.[1] ?? '');
  expect(new Set(names).size).toBe(names.length);
  expect([...names].sort()).toEqual([...envKeys].sort());
});

test('every line is a comment, blank, or NAME=value', () => {
  for (const line of lines) expect(line).toMatch(/^(#.*|[A-Z][A-Z0-9_]*=.*|)$/);
});

test('each variable has a one-line comment right above it', () => {
  for (const { index, match } of assignments) {
    expect(`${match?.[1] ?? ''}: ${lines[index - 1] ?? ''}`).toMatch(/^[A-Z0-9_]+: # \S/);
  }
});

test('its values are the defaults: the file configures exactly what an empty environment does', () => {
  // The secrets are generated when unset, so they differ on every load.
  const comparable = (config: Config) => ({ ...config, adminToken: '', queueTokenSecret: '' });
  expect(comparable(loadConfig(example))).toEqual(comparable(loadConfig({})));
});
