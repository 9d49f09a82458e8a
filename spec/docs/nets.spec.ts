/**
 * docs/nets.md, the tour of convolutions, embeddings, attention and the two built-in nets, cannot
 * rot: as for the guide (markdown-examples.ts), every ```ts block is type-checked against the
 * package and run, and prints exactly the ```text block that follows it. The command lines it
 * shows use only commands, examples and flags that the command line knows.
 */
import { graphHelp } from '../../bin/commands/graph';
import { trainHelp } from '../../bin/commands/train';
import { describeExamples, describeLinks, markdownDoc } from './markdown-examples';

const nets = markdownDoc('nets.md');

/** The `npx deltagraph …` lines of the ```sh blocks, without their comments. */
function commandLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split('\n')).map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l.startsWith('npx deltagraph '));
}

describe('docs/nets.md', () => {
  describeExamples(nets, 20);

  it('shows command lines that the command line accepts', () => {
    const help: Record<string, string> = { train: trainHelp, graph: graphHelp };
    const lines = commandLines(nets.markdown);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const [, , command, target, ...rest] = line.split(/\s+/);
      const text = help[command!];
      expect([line, text !== undefined]).toEqual([line, true]);
      const usage = text!.split('\n')[0]!;
      expect([line, usage.split(/[\s|]+/).includes(target!)]).toEqual([line, true]);
      for (const flag of rest.filter((w) => w.startsWith('--'))) expect([line, flag, text!.includes(`${flag} `)]).toEqual([line, flag, true]);
    }
  });

  it('links the guide and the op reference', () => {
    expect(nets.markdown).toContain('](guide.md)');
    expect(nets.markdown).toContain('](ops.md)');
  });

  describeLinks(nets);
});
