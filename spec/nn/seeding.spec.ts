/**
 * Seeding as in PyTorch: layers, initialisers, dropout masks and fit's shuffling draw from the
 * global generator when given no seed (so two fresh layers differ, and manualSeed makes a run
 * repeat), and from a generator of their own when given one (the same numbers whatever else ran).
 */
import {
  Dropout, Linear, MLP, MSELoss, Module, ReLU, SGD, Sequential, fit, initialize, manualSeed, rand, randn, rng, tensor,
} from '../../index';

const values = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.data));

describe('layers without a seed draw from the global generator', () => {
  it('two fresh Linears differ, also inside one Sequential', () => {
    const a = new Linear(8, 8);
    const b = new Linear(8, 8);
    expect(Array.from(a.W.data)).not.toEqual(Array.from(b.W.data));
    expect(Array.from(a.b!.data)).not.toEqual(Array.from(b.b!.data));
    const net = new Sequential(new Linear(8, 8), new ReLU(), new Linear(8, 8));
    const [first, , second] = net.layers as [Linear, ReLU, Linear];
    expect(Array.from(first.W.data)).not.toEqual(Array.from(second.W.data));
  });

  it('manualSeed(s) and building a net again gives the same weights; another seed other weights', () => {
    const build = () => new Sequential(new Linear(3, 5), new ReLU(), new Linear(5, 2, { init: 'he' }), new Linear(2, 2, { init: 'xavier' }));
    manualSeed(17);
    const once = values(build());
    new Linear(4, 4); // draws in between do not matter after a reseed
    manualSeed(17);
    expect(values(build())).toEqual(once);
    manualSeed(18);
    expect(values(build())).not.toEqual(once);
  });

  it('an unseeded MLP draws from the global generator: after manualSeed(s) it is MLP({ seed: s })', () => {
    manualSeed(3);
    const a = new MLP({ layers: [2, 4, 3, 1] });
    const b = new MLP({ layers: [2, 4, 3, 1] });
    expect(values(a)).not.toEqual(values(b));
    manualSeed(3);
    expect(values(new MLP({ layers: [2, 4, 3, 1] }))).toEqual(values(a));
    expect(values(new MLP({ layers: [2, 4, 3, 1], seed: 3 }))).toEqual(values(a));
  });

  it('initialize without a generator draws from the global one', () => {
    manualSeed(6);
    const w = initialize({ kind: 'he' }, [3, 4]);
    expect(Array.from(w.data)).toEqual(Array.from(initialize({ kind: 'he' }, [3, 4], rng(6)).data));
    expect(Array.from(initialize({ kind: 'he' }, [3, 4]).data)).not.toEqual(Array.from(w.data));
  });
});

describe('an explicit seed is independent of the global state', () => {
  it('Linear({ rng: seed }) gives the same weights whatever the global generator did, and does not advance it', () => {
    manualSeed(1);
    const reference = values(new Linear(4, 3, { rng: 5 }));
    randn([100]);
    expect(values(new Linear(4, 3, { rng: 5 }))).toEqual(reference);
    manualSeed(2);
    expect(values(new Linear(4, 3, { rng: 5 }))).toEqual(reference);
    // The seeded layer drew nothing from the global generator.
    manualSeed(2);
    new Linear(4, 3, { rng: 5 });
    expect(rand([3]).toArray()).toEqual(rand([3], rng(2)).toArray());
  });

  it('MLP({ seed }) is what it always was: its Linears draw W, b in turn from one rng(seed)', () => {
    for (const global of [0, 99]) {
      manualSeed(global);
      randn([7]);
      const model = new MLP({ layers: [2, 4, 3, 1], seed: 7 });
      const r = rng(7);
      const expected: number[][] = [];
      for (const [i, o] of [[2, 4], [4, 3], [3, 1]] as const) {
        expected.push(Array.from(initialize({ kind: 'fanInUniform' }, [i, o], r).data));
        expected.push(Array.from(initialize({ kind: 'fanInUniform' }, [o], r, i, o).data));
      }
      expect(values(model)).toEqual(expected);
    }
  });
});

describe('Dropout', () => {
  const ones = tensor(new Float64Array(200).fill(1), [10, 20]);
  const mask = (d: Dropout) => Array.from(d.forward(ones).data);

  it('two unseeded Dropouts draw different masks; manualSeed repeats them, even for layers built before it', () => {
    const a = new Dropout(0.5);
    const b = new Dropout(0.5);
    manualSeed(11);
    const ma = mask(a);
    const mb = mask(b);
    expect(ma).not.toEqual(mb);
    manualSeed(11);
    expect(mask(a)).toEqual(ma);
    expect(mask(b)).toEqual(mb);
  });

  it('two Dropouts with the same seed draw the same masks whatever the global state', () => {
    manualSeed(1);
    const m = mask(new Dropout(0.5, 4));
    manualSeed(2);
    randn([5]);
    expect(mask(new Dropout(0.5, 4))).toEqual(m);
    expect(mask(new Dropout(0.5, 5))).not.toEqual(m);
  });
});

describe('fit shuffles with the global generator unless given a seed', () => {
  const x = randn([16, 2], rng(1));
  const y = randn([16, 1], rng(2));
  const train = (options: { seed?: number }): number[][] => {
    const model = new MLP({ layers: [2, 3, 1], seed: 0 });
    fit(model, { x, y }, { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 3, batchSize: 4, progress: false, ...options });
    return values(model);
  };

  it('manualSeed(s) repeats an unseeded fit; another s shuffles otherwise; a seed ignores the global state', () => {
    manualSeed(21);
    const once = train({});
    manualSeed(21);
    expect(train({})).toEqual(once);
    manualSeed(22);
    expect(train({})).not.toEqual(once);
    manualSeed(1);
    const seeded = train({ seed: 21 });
    expect(seeded).toEqual(once);
    manualSeed(2);
    randn([9]);
    expect(train({ seed: 21 })).toEqual(seeded);
  });
});
