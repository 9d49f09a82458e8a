/** Type checking runs as its own step (`tsc --noEmit`), so ts-jest only transpiles. */
module.exports = {
  // One worker per core: jest's default leaves one core to itself, which on two cores runs the
  // suites one at a time while the main process mostly waits.
  maxWorkers: '100%',
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  // The playground's browser test runs on its own, after the rest (npm run test:playground), so that
  // the frame rate it measures is the page's and not the other suites'.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/playground-browser/'],
  // The package refers to itself by name in examples, as a user's code in Node would (the Node face).
  moduleNameMapper: { '^deltagraph$': '<rootDir>/node/index.ts', '^deltagraph/check$': '<rootDir>/check/index.ts' },
  // The kernels as the Node entry configures them (worker threads, DELTAGRAPH_WASM, DELTAGRAPH_THREADS),
  // also for specs that import the universal entry.
  setupFiles: ['<rootDir>/node/setup.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
};
