import { ArgumentError, Tensor, describe } from '../lib';
import { mean } from './mean';
import { sum } from './sum';

export type LossReduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) averages, 'sum' adds, 'none' returns the unreduced losses. */
  reduction?: LossReduction;
}

/** Applies a loss's reduction option (PyTorch's semantics) to its unreduced losses. */
export function reduceLoss(op: string, losses: Tensor, options: LossOptions | undefined): Tensor {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ArgumentError(`${op}: options must be an object such as { reduction: 'sum' }, got ${describe(options)}`);
  }
  const reduction = options?.reduction ?? 'mean';
  switch (reduction) {
    case 'mean':
      return mean(losses);
    case 'sum':
      return sum(losses);
    case 'none':
      return losses;
    default:
      throw new ArgumentError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${describe(reduction)}`);
  }
}

export function pickLossOptions(pick: { int(lo: number, hi: number): number }): LossOptions {
  return { reduction: (['mean', 'sum', 'none'] as const)[pick.int(0, 2)] };
}
