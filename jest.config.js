/** Type checking runs as its own step (`tsc --noEmit`), so ts-jest only transpiles. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  // The package refers to itself by name in examples, as a user's code would.
  moduleNameMapper: { '^deltagraph$': '<rootDir>/index.ts', '^deltagraph/check$': '<rootDir>/check/index.ts' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
};
