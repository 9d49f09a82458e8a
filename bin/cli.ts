/**
 * The deltagraph command line: train, gradcheck, deltas, graph, export. Usage errors print one line and exit 2.
 * A command's module (and with it the library) is loaded only when that command runs, so that
 * `deltagraph --help` starts at once.
 */
import { UsageError } from './args';
import { DeltaGraphError } from '../lib/errors';

type Command = (argv: string[]) => number;

const COMMANDS: Record<string, { load: () => Command; summary: string }> = {
  train: { load: () => require('./commands/train').trainCommand, summary: 'train a built-in example (xor, housing, mnist, mnist-cnn, shakespeare) and report its test or validation metrics' },
  gradcheck: { load: () => require('./commands/gradcheck').gradcheckCommand, summary: 'property-check ops against central differences and print a table' },
  deltas: { load: () => require('./commands/deltas').deltasCommand, summary: "print the XOR net's layer deltas next to the slides' formulas" },
  graph: { load: () => require('./commands/graph').graphCommand, summary: 'draw the computational graph of an example, a saved model or an ONNX model (SVG, DOT or JSON)' },
  export: { load: () => require('./commands/export').exportCommand, summary: 'write a saved model as ONNX (for ONNX Runtime) or its weights as safetensors (for PyTorch)' },
};

export const mainHelp = `deltagraph — reverse-mode automatic differentiation on computational graphs

Usage: deltagraph <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join('\n')}

Run deltagraph <command> --help for the options of a command.`;

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(mainHelp);
    return command === undefined ? 2 : 0;
  }
  const entry = COMMANDS[command];
  try {
    if (!entry) {
      console.error(`deltagraph: unknown command '${command}'; expected one of ${Object.keys(COMMANDS).join(', ')} (see deltagraph --help)`);
      return 2;
    }
    return entry.load()(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`deltagraph ${e.message}`);
      return 2;
    }
    if (e instanceof DeltaGraphError) {
      console.error(`deltagraph: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
