/**
 * GPT.checkpointBlocks: each block recomputed in the backward pass instead of kept — the same
 * loss and gradients bit for bit, and a recorded graph that holds less.
 */
import { GPT, ancestors, backward, gpt, Tensor } from '../../node';

const config = { vocabSize: 7, layers: 2, heads: 2, embedding: 8, context: 6 };
const ids = [[1, 2, 3, 4, 5, 6], [0, 6, 5, 4, 3, 2]];
const targets = [[2, 3, 4, 5, 6, 0], [6, 5, 4, 3, 2, 1]];

/** The bytes of the distinct arrays the recorded graph behind t keeps for its backward pass. */
function graphBytes(t: Tensor): number {
  const arrays = new Set<Float64Array>();
  for (const node of ancestors(t, 'graphBytes', '')) for (const x of node.inputs!) arrays.add(x.data);
  let bytes = 0;
  for (const a of arrays) bytes += a.byteLength;
  return bytes;
}

function run(model: GPT, checkpointed: boolean) {
  model.checkpointBlocks = checkpointed;
  const loss = model.loss(ids, targets);
  const kept = graphBytes(loss);
  const grads = backward(loss);
  return { loss: loss.item(), kept, grads: model.parameters().map((p) => Array.from(grads.get(p).data)) };
}

describe('GPT.checkpointBlocks', () => {
  it('gives the same loss and gradients, bit for bit, keeping fewer values for the backward pass', () => {
    const model = gpt(config, 3);
    const plain = run(model, false);
    const saved = run(model, true);
    expect(Object.is(saved.loss, plain.loss)).toBe(true);
    expect(saved.grads).toEqual(plain.grads);
    expect(saved.kept).toBeLessThan(plain.kept);
  });
});
