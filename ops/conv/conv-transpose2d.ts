/**
 * convTranspose2d (as F.conv_transpose2d, without bias): the adjoint of conv2d in x, for
 * x [N, C, H, W] and w [C, O/g, kH, kW]: y [N, O, Ho, Wo] with
 *   Ho = (H − 1)·sH − 2pH + dH(kH − 1) + opH + 1   (op: outputPadding, < stride)
 *   y = fold(wᵀ [g, O/g·kH·kW, C/g] · x [N, g, C/g, H·W]): every input pixel scatters its kernel
 *   window into the output. Gradients come from matmul's and fold's VJPs.
 */
import { ArgumentError, ShapeError, Tensor, TensorLike, fmtShape } from '../../lib';
import { asTensor } from '../args';
import { Domain } from '../domain';
import { matmul } from '../matmul';
import { reshape } from '../reshape';
import { mT } from '../transpose';
import { ConvOptions, groupsOf } from './conv2d';
import { foldWindows } from './fold';
import { optionsOf, pairOf, rankOf } from './geometry';

export interface ConvTransposeOptions extends ConvOptions {
  /** Extra rows and columns on one side of the output, each < the stride (default 0). */
  outputPadding?: number | readonly [number, number];
}

/**
 * y = fold(wᵀ · x): each input pixel x[n, c, h, w'] adds w[c, o, i, j] · x at output
 * (h·sH − pH + i·dH, w'·sW − pW + j·dW), for x [N, C, H, W], w [C, O/groups, kH, kW]; the adjoint of conv2d in x.
 */
export function convTranspose2d(x: TensorLike, w: TensorLike, options: ConvTransposeOptions = {}): Tensor {
  const op = 'convTranspose2d';
  const input = rankOf(op, 'x', asTensor(op, x, 'x'), 4, '[N, C, H, W]');
  const weight = rankOf(op, 'w', asTensor(op, w, 'w'), 4, '[C, O/groups, kH, kW]');
  const o = optionsOf(op, options);
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const [Cw, Og, kH, kW] = weight.shape as [number, number, number, number];
  if (Cw !== C) throw new ShapeError(`${op}: w of shape ${fmtShape(weight.shape)} is for ${Cw} input channels, but x of shape ${fmtShape(input.shape)} has ${C}: expected w.shape[0] = ${C}`);
  const g = groupsOf(op, o.groups, C, C);
  const O = Og * g;
  const [sH, sW] = pairOf(op, 'stride', o.stride, [1, 1], 1);
  const [pH, pW] = pairOf(op, 'padding', o.padding, [0, 0], 0);
  const [dH, dW] = pairOf(op, 'dilation', o.dilation, [1, 1], 1);
  const [opH, opW] = pairOf(op, 'outputPadding', o.outputPadding, [0, 0], 0);
  if (opH >= sH || opW >= sW) throw new ArgumentError(`${op}: outputPadding ${opH}×${opW} must be smaller than the stride ${sH}×${sW}`);
  const height = (H - 1) * sH - 2 * pH + dH * (kH - 1) + opH + 1;
  const width = (W - 1) * sW - 2 * pW + dW * (kW - 1) + opW + 1;
  if (height < 1 || width < 1) {
    throw new ShapeError(`${op}: padding ${pH}×${pW} leaves no output for x of shape ${fmtShape(input.shape)} and a ${kH}×${kW} kernel (the output would be ${height}×${width})`);
  }
  const taps = Og * kH * kW;
  const wt = reshape(weight, [g, C / g, taps]);
  const cols = matmul(mT(wt), reshape(input, [N, g, C / g, H * W]));
  return foldWindows(reshape(cols, [N, O * kH * kW, H * W]), {
    window: { kH, kW, sH, sW, pH, pW, dH, dW },
    outH: H,
    outW: W,
    channels: O,
    height,
    width,
  });
}

export const domain: Domain = {
  arity: 2,
  shapes: { oneOf: [[[1, 1, 3, 3], [1, 1, 2, 2]], [[2, 2, 2, 3], [2, 2, 2, 2]], [[1, 4, 2, 2], [4, 1, 3, 2]]] },
  values: { min: -2, max: 2 },
  call: ([x, w], pick) => {
    const groups = x!.shape[1] === 4 ? 2 : 1;
    const stride = pick.int(1, 2);
    return convTranspose2d(x!, w!, { groups, stride, padding: pick.int(0, 1) === 1 && w!.shape[2]! > 2 ? 1 : 0, outputPadding: stride === 2 ? pick.int(0, 1) : 0 });
  },
};
