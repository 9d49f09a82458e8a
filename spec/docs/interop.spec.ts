/**
 * docs/interop.md cannot rot: as for the guide (markdown-examples.ts), every ```ts block is
 * type-checked against the package and run — in a Node process of its own, since its examples
 * serve a model with onnxruntime-node — and prints exactly the ```text block that follows it. Its
 * command lines use only commands and flags that the command line knows.
 */
import { exportHelp } from '../../bin/commands/export';
import { graphHelp } from '../../bin/commands/graph';
import { trainHelp } from '../../bin/commands/train';
import { describeExamples, describeLinks, markdownDoc } from './markdown-examples';

const interop = markdownDoc('interop.md', { processModules: ['onnxruntime-node', 'fs'] });

describe('docs/interop.md', () => {
  describeExamples(interop, 7);
  describeLinks(interop);

  it('shows command lines that the command line accepts', () => {
    const help: Record<string, string> = { train: trainHelp, graph: graphHelp, export: exportHelp };
    const lines = [...interop.markdown.matchAll(/```sh\n([\s\S]*?)```/g)]
      .flatMap((m) => m[1]!.split('\n'))
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter((l) => l.startsWith('npx deltagraph '));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const [, , command, , ...rest] = line.split(/\s+/);
      const text = help[command!];
      expect([line, text !== undefined]).toEqual([line, true]);
      for (const flag of rest.filter((w) => w.startsWith('--'))) expect([line, flag, text!.includes(`${flag} `)]).toEqual([line, flag, true]);
    }
  });
});
