/** Tensor construction, properties and conversions. */
import { ArgumentError, Tensor, arange, eye, full, ones, param, tensor, zeros } from '../../index';

describe('tensor', () => {
  it('infers the shape of nested arrays, row-major', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('makes scalars from numbers', () => {
    const t = tensor(2.5);
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(2.5);
    expect(t.toArray()).toBe(2.5);
  });

  it('takes a Float64Array with a shape', () => {
    const t = tensor(Float64Array.of(1, 2, 3, 4), [2, 2]);
    expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => tensor(Float64Array.of(1, 2, 3), [2, 2])).toThrow(ArgumentError);
  });

  it('rejects ragged arrays and non-numbers, naming the index', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged.*\[1\]/);
    expect(() => tensor([1, 'a' as unknown as number])).toThrow(/index \[1\]/);
  });

  it('has empty tensors', () => {
    const t = tensor([]);
    expect(t.shape).toEqual([0]);
    expect(zeros([2, 0]).size).toBe(0);
  });

  it('constructors', () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([1, 2]).toArray()).toEqual([[1, 1]]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(arange(3).toArray()).toEqual([0, 1, 2]);
  });

  it('param makes a leaf that requires a gradient, sharing values', () => {
    const base = tensor([1, 2]);
    const p = param(base);
    expect(p.requiresGrad).toBe(true);
    expect(p.producer).toBeNull();
    expect(p.data).toBe(base.data);
    expect(base.requiresGrad).toBe(false);
  });

  it('prints itself readably', () => {
    expect(tensor([[1, 2]]).toString()).toBe('tensor([[1,2]], shape=[1, 2])');
    expect(param([1]).toString()).toContain('requiresGrad');
  });

  it('its shape cannot be changed from outside', () => {
    const t = tensor([1, 2]);
    expect(() => (t.shape as number[]).push(3)).toThrow(TypeError);
    expect(t).toBeInstanceOf(Tensor);
  });
});
