/**
 * GELU and SiLU as modules, so they can stand in a Sequential: each wraps one op (gelu, silu),
 * elementwise on inputs of any shape, as torch.nn.GELU and torch.nn.SiLU.
 */
import { Tensor, TensorLike } from '../lib';
import { gelu, silu } from '../ops';
import { asTensor, choiceIn, optionsIn, within } from './args';
import { Module } from './module';

export interface GELUOptions {
  /** 'none' (default): the exact x Φ(x); 'tanh': PyTorch's tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/** y = x Φ(x), or with { approximate: 'tanh' } x/2 (1 + tanh(√(2/π)(x + 0.044715x³))). */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(options: GELUOptions = {}) {
    super();
    const o = optionsIn('GELU', options);
    this.approximate = choiceIn('GELU', 'approximate', o.approximate, ['none', 'tanh'] as const, 'none');
  }
  forward(x: TensorLike): Tensor {
    const t = asTensor('GELU.forward', x, 'x');
    return within('GELU.forward', null, () => gelu(t, { approximate: this.approximate }));
  }
  describe(): string {
    return this.approximate === 'none' ? 'GELU' : `GELU(approximate: '${this.approximate}')`;
  }
}

/** y = x σ(x) ("swish"). */
export class SiLU extends Module {
  forward(x: TensorLike): Tensor {
    const t = asTensor('SiLU.forward', x, 'x');
    return within('SiLU.forward', null, () => silu(t));
  }
  describe(): string {
    return 'SiLU';
  }
}
