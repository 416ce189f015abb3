// `npm run docs:asyncapi`: writes docs/asyncapi.json, the AsyncAPI 3.0 document of
// the live queue, generated from the zod schemas in core/live/contractSchemas.ts.
// tests/asyncapi.test.ts fails when the committed file differs from this output.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApi } from '../core/live/asyncApi';

export const asyncApiFile = path.join(__dirname, '..', 'docs', 'asyncapi.json');

/** The package's version, the one the document states. */
export function packageVersion(): string {
  const file = path.join(__dirname, '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the test imports this module, and jest cannot load prettier.
  const { format, resolveConfig } = await import('prettier');
  const json = JSON.stringify(buildAsyncApi({ version: packageVersion() }), null, 2);
  const options = await resolveConfig(asyncApiFile);
  writeFileSync(asyncApiFile, await format(json, { ...options, filepath: asyncApiFile }));
  process.stdout.write(`Wrote ${path.relative(process.cwd(), asyncApiFile)}\n`);
}

if (require.main === module) void main();
