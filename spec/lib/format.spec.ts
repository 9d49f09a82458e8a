/** formatTensor prints aligned, nested rows. */
import { formatTensor, tensor } from '../../index';

describe('formatTensor', () => {
  it('aligns columns and drops the sign of values that round to zero', () => {
    expect(formatTensor(tensor([[1, -2.5], [-0.00001, 10]]), { digits: 2 })).toBe('[[ 1.00, -2.50],\n [ 0.00, 10.00]]');
  });
  it('prints scalars, vectors and rank-3 tensors', () => {
    expect(formatTensor(tensor(3), { digits: 1 })).toBe('3.0');
    expect(formatTensor(tensor([1, 2]), { digits: 0 })).toBe('[1, 2]');
    expect(formatTensor(tensor([[[1]], [[2]]]), { digits: 0 })).toBe('[[[1]],\n\n [[2]]]');
  });
});
