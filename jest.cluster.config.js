/** The same suite against a local three-master Redis Cluster (see tests/helpers/clusterSetup.ts). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest reads CommonJS config
const base = require('./jest.config');
module.exports = {
  ...base,
  globalSetup: '<rootDir>/tests/helpers/clusterSetup.ts',
  globalTeardown: '<rootDir>/tests/helpers/clusterTeardown.ts',
  // The chaos suite runs on a private single redis-server it can restart empty.
  testPathIgnorePatterns: ['/node_modules/', 'chaos\\.e2e'],
};
