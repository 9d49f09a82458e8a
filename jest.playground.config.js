/** The playground's browser test (spec/playground-browser): jest's configuration, on its own. */
const base = require('./jest.config.js');

module.exports = { ...base, roots: ['<rootDir>/spec/playground-browser'], testPathIgnorePatterns: ['/node_modules/'] };
