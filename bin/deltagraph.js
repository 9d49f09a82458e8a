#!/usr/bin/env node
// The deltagraph command. An installed package runs its compiled JavaScript (dist/cjs/bin/cli.js);
// a development checkout, where the TypeScript sources sit beside this file, runs them through ts-node.
const path = require('path');
const fs = require('fs');

const source = path.join(__dirname, 'cli.ts');
let cli;
if (fs.existsSync(source)) {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require(source);
} else {
  cli = require('../dist/cjs/bin/cli.js');
}
process.exitCode = cli.main(process.argv.slice(2));
