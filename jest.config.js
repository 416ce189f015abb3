/** Jest: swc transpiles TypeScript (type-checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.(ts|js)$': ['@swc/jest'] },
  // jose ships only ES modules; swc turns them into CommonJS for jest's loader
  // (Node itself loads them through require() since 20.19).
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/tests/summaryReporter.js'],
};
