/** The README's example is examples/readme.ts, character for character, and it runs. */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..', '..');

describe('README', () => {
  it('shows examples/readme.ts exactly', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(join(root, 'examples', 'readme.ts'), 'utf8'));
  });

  it('example runs and prints the loss, a weight gradient and a delta', () => {
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    try {
      jest.isolateModules(() => require('../../examples/readme'));
    } finally {
      log.mockRestore();
    }
    expect(lines[0]).toMatch(/^loss \d/);
    expect(lines[1]).toMatch(/^∂loss\/∂W/);
    expect(lines[2]).toMatch(/^delta ∂loss\/∂Z/);
  });

  it('names the commands that CI runs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci');
    expect(readme).toContain('npm test');
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/npm ci\s+npm test/);
  });

  it('shows pictures that exist, and npm run commands that are package scripts', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images).toContain('docs/images/playground.png');
    for (const image of images) expect(existsSync(join(root, image))).toBe(true);
    const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
    const commands = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(commands).toContain('playground');
    for (const command of commands) expect(scripts).toContain(command);
  });
});
