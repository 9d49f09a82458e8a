/**
 * docs/guide.md cannot rot: every ```ts block in it is a program that is type-checked against the
 * package and run, and what it prints must be, character for character, the ```text block that
 * follows it (the machinery, and the rule for blocks that continue the previous one, are in
 * markdown-examples.ts). Examples import from 'deltagraph' and from nothing else.
 */
import { describeExamples, describeLinks, markdownDoc } from './markdown-examples';

const guide = markdownDoc('guide.md');

describe('docs/guide.md', () => {
  describeExamples(guide, 10);

  it('opens with a section that links the op reference and the errata', () => {
    const first = guide.markdown.split('\n## ')[1] ?? '';
    expect(first).toContain('](ops.md)');
    expect(first).toContain('](errata.md)');
  });

  describeLinks(guide);
});
