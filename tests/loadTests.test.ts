// The k6 scenarios keep the promise that any k6 release runs them: ES2017 syntax
// only, k6 modules or relative .js files only, each scenario type-checked and
// judged by thresholds. (Their types are checked by `tsc -p load-tests`.)
import { parse, type Program } from 'acorn';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/platform/paths';
import { serverToClientEvents } from '../core/live/contractSchemas';

const dir = path.join(projectRoot, 'load-tests');
const scenarios = readdirSync(dir).filter((file) => file.endsWith('.js'));
const libs = readdirSync(path.join(dir, 'lib')).map((file) => path.join('lib', file));
const parseEs2017 = (source: string): Program =>
  parse(source, { ecmaVersion: 2017, sourceType: 'module' });

test('every scenario the README promises is here', () => {
  expect(scenarios.sort()).toEqual([
    'join-spike.js',
    'one-item.js',
    'socket.js',
    'sold-out-storm.js',
    'status-poll.js',
  ]);
});

test('the ES2017 parser refuses the newer syntax old k6 releases cannot run', () => {
  for (const newer of [
    'const a = { ...b };',
    'const a = b?.c;',
    'const a = b ?? c;',
    'const a = 1_000;',
    'try { f(); } catch { g(); }',
  ]) {
    expect(() => parseEs2017(newer)).toThrow(SyntaxError);
  }
});

describe.each([...scenarios, ...libs])('%s', (file) => {
  const source = readFileSync(path.join(dir, file), 'utf8');

  test('parses as an ES2017 module and starts with // @ts-check', () => {
    expect(() => parseEs2017(source)).not.toThrow();
    expect(source.startsWith('// @ts-check\n')).toBe(true);
  });

  test('imports only k6 modules and relative .js files that exist', () => {
    const imports = parseEs2017(source)
      .body.filter((node) => node.type === 'ImportDeclaration')
      .map((node) => String(node.source.value));
    for (const spec of imports) {
      if (spec.startsWith('.')) {
        expect(spec).toMatch(/\.js$/);
        expect(existsSync(path.join(dir, path.dirname(file), spec))).toBe(true);
      } else {
        expect(spec).toMatch(/^k6(\/|$)/);
      }
    }
  });
});

describe.each(scenarios)('scenario %s', (file) => {
  const program = parseEs2017(readFileSync(path.join(dir, file), 'utf8'));

  test('exports a default function and options with thresholds', () => {
    expect(program.body.some((node) => node.type === 'ExportDefaultDeclaration')).toBe(true);
    const options = program.body
      .filter((node) => node.type === 'ExportNamedDeclaration')
      .flatMap((node) =>
        node.declaration?.type === 'VariableDeclaration' ? node.declaration.declarations : [],
      )
      .find((decl) => decl.id.type === 'Identifier' && decl.id.name === 'options');
    const init = options?.init;
    expect(init?.type).toBe('ObjectExpression');
    const keys =
      init?.type === 'ObjectExpression'
        ? init.properties.map((p) =>
            p.type === 'Property' && p.key.type === 'Identifier' ? p.key.name : '',
          )
        : [];
    expect(keys).toEqual(expect.arrayContaining(['scenarios', 'thresholds']));
  });

  test('reports truthfully: expected answers declared, http_req_failed and teardown judged', () => {
    const source = readFileSync(path.join(dir, file), 'utf8');
    // At the top level (init context), so every request of the run is judged by it.
    const declared = program.body.some(
      (node) =>
        node.type === 'ExpressionStatement' &&
        /^http\.setResponseCallback\(expectedAnswers\)/.test(source.slice(node.start, node.end)),
    );
    expect(declared).toBe(true);
    const thresholds = /thresholds: \{([\s\S]*?)\n {2}\},/.exec(source)?.[1] ?? '';
    expect(thresholds).toMatch(/http_req_failed: \['rate(<0\.01|==0)'\]/);
    expect(thresholds).toMatch(/'checks\{step:teardown\}': \['rate==1'\]/);
  });

  test('removes what it created: teardown deletes the promotion', () => {
    const source = readFileSync(path.join(dir, file), 'utf8');
    const teardown = program.body.find(
      (node) =>
        node.type === 'ExportNamedDeclaration' &&
        node.declaration?.type === 'FunctionDeclaration' &&
        node.declaration.id.name === 'teardown',
    );
    expect(teardown).toBeDefined();
    expect(source.slice(teardown?.start, teardown?.end)).toMatch(/removePromotion\(data\);\n\}$/);
  });
});

test('expected answers are 2xx and 409; the promotion goes with its coupons through the admin API', () => {
  const api = readFileSync(path.join(dir, 'lib', 'api.js'), 'utf8');
  expect(api).toContain(
    'export const expectedAnswers = http.expectedStatuses({ min: 200, max: 299 }, 409);',
  );
  expect(api).toMatch(
    /http\.del\(BASE_URL \+ '\/api\/promotions\/' \+ data\.promotionId \+ '\?coupons=delete'/,
  );
});

test('the socket scenario listens for the event names the server emits (core/live/contractSchemas.ts)', () => {
  const scenario = readFileSync(path.join(projectRoot, 'load-tests', 'socket.js'), 'utf8');
  const names = Object.keys(serverToClientEvents);
  const listened = [
    ...(/const EVENTS = \{([^}]*)\}/.exec(scenario)?.[1] ?? '').matchAll(/:\s*'(\w+)'/g),
  ].map((m) => m[1]);
  expect(listened.length).toBe(2);
  for (const name of listened) expect(names).toContain(name);
});
