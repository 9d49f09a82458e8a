#!/usr/bin/env node
// Entry point of the deltagraph command: runs the TypeScript sources through ts-node.
const path = require('path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
process.exitCode = require('./cli.ts').main(process.argv.slice(2));
