/** deltagraph train --plot: the training curves as an SVG file. */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseXml } from '../viz/xml';
import { run } from './run';

describe('deltagraph train --plot', () => {
  it('draws the XOR run\'s loss and accuracy per epoch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-plot-'));
    try {
      const path = join(dir, 'loss.svg');
      const r = run(['train', 'xor', '--quiet', '--plot', path]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`drew the training curves in ${path}`);
      const doc = parseXml(readFileSync(path, 'utf8'));
      expect(doc.root).toBe('svg');
      const series = doc.elements.filter((e) => e.name === 'g' && e.attrs['data-name']).map((e) => e.attrs['data-name']);
      expect(series).toEqual(['training loss', 'accuracy (%)']);
      const epochs = Number(/after (\d+) full-batch steps/.exec(r.out)![1]);
      const points = doc.elements.find((e) => e.name === 'polyline')!.attrs.points!.split(' ');
      expect(points).toHaveLength(epochs);
      expect(run(['train', '--help']).out).toContain('--plot loss.svg');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
