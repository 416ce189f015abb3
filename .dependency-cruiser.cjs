// Import rules as code: the layering README's architecture section describes,
// checked by `npm run lint` (npx depcruise core server worker web/src main.ts
// --config .dependency-cruiser.cjs). Paths are relative to the repository root.

/** Production code: what runs in the server and worker processes. */
const production = '^(core|server|worker)/|^main[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import circle (type-only imports count): split the shared part into a module ' +
        'both sides can import, usually one level down (core/model for domain types).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'server-and-worker-apart',
      severity: 'error',
      comment:
        'server/ and worker/ are separate processes that never import each other: ' +
        'what both need belongs in core/.',
      // $1 is the area the import starts in: server -> worker and worker -> server.
      from: { path: '^(server|worker)/' },
      to: { path: '^(server|worker)/', pathNot: '^$1/' },
    },
    {
      name: 'core-not-to-processes',
      severity: 'error',
      comment: 'core/ is shared by both processes and imports neither server/ nor worker/.',
      from: { path: '^core/' },
      to: { path: '^(server|worker)/' },
    },
    {
      name: 'model-is-pure',
      severity: 'error',
      comment:
        'core/model/ is the pure domain (no I/O): it imports only core/model/ and zod, so ' +
        'the web pages and every other area can use it without Redis, a database or Node.',
      from: { path: '^core/model/' },
      to: { pathNot: ['^core/model/', '(^|/)node_modules/zod/'] },
    },
    {
      name: 'platform-is-the-ground',
      severity: 'error',
      comment:
        'core/platform/ (config, logger, errors, Redis connections, process glue) is what ' +
        'every area stands on: it imports no other area of the project.',
      from: { path: '^core/platform/' },
      to: { path: '^(core|server|worker|web)/', pathNot: '^core/platform/' },
    },
    {
      name: 'web-imports-only-the-shared-contract',
      severity: 'error',
      comment:
        'web/src/ runs in the browser: from the project it imports only web/src/, ' +
        'core/model/ and the event contract core/live/contract.ts, which takes only types from ' +
        'zod modules (npm packages ' +
        'are bundled by Vite).',
      from: { path: '^web/src/' },
      to: {
        pathNot: ['^web/src/', '^core/model/', '^core/live/contract[.]ts$'],
        dependencyTypesNot: ['npm', 'npm-dev'],
      },
    },
    {
      name: 'routes-call-use-cases',
      severity: 'error',
      comment:
        'A route parses, calls one use case (core/useCases/) and answers: the room ' +
        '(core/room/) and the database (core/db/) are reached through the use cases.',
      from: { path: '^server/routes/' },
      to: { path: '^core/(room|db)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import resolves to no file on disk: a typo, a moved module, or a package ' +
        'missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'Production code imports a devDependency, which `npm ci --omit=dev` leaves out: ' +
        'move the package to "dependencies" or the code out of core/, server/, worker/.',
      from: { path: production },
      to: {
        dependencyTypes: ['npm-dev'],
        // Type-only imports are erased at build time; @types packages never run.
        dependencyTypesNot: ['type-only'],
        pathNot: ['(^|/)node_modules/@types/'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules may be a symlink (worktrees share one): report it as node_modules/.
    preserveSymlinks: true,
    // Type-only imports are dependencies too: a circle of types is still a circle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
