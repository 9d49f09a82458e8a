/**
 * What fromOnnx and OnnxModel refuse, and how they say it: an unsupported operator, domain or
 * attribute value names the node, the operator and what is supported; another opset says which
 * are read; inputs of the wrong number, rank or static size name the input; bytes that are not a
 * model (truncated, corrupted at random) give a DeltaGraphError and never another exception.
 */
import fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ArgumentError, DeltaGraphError, MemoryError, Tensor, nextNodeId, param, setMemoryLimit, tensor } from '../../node';
import { fromOnnx, OnnxModel } from '../../interop';
import { DataType, buildModel, f, i, ints, modelProto, encodeModel, oneNode, s, strings, tinyMlp } from './onnx-builder';

const mlpBytes = new Uint8Array(readFileSync(join(__dirname, 'fixtures', 'mlp.onnx')));

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DeltaGraphError) return `${e.name}: ${e.message}`;
    throw e;
  }
  throw new Error('expected an error');
}

describe('unsupported models', () => {
  test('an unsupported operator names the node, the operator and what is supported', () => {
    const m = message(() => fromOnnx(oneNode('NonMaxSuppression', [{ shape: [1, 2, 4] }, { shape: [1, 1, 2] }])));
    expect(m).toMatch(/^ArgumentError: fromOnnx: node '\/nonmaxsuppression_0\/NonMaxSuppression' \(NonMaxSuppression\): the operator NonMaxSuppression is not supported \(supported: .*Conv.*Gemm.*\)/);
  });

  test('an unsupported domain names it', () => {
    const bytes = oneNode('TreeEnsembleRegressor', [{ shape: [1, 2] }], {}, { domain: 'ai.onnx.ml' });
    expect(message(() => fromOnnx(bytes))).toMatch(/node '.*' \(ai\.onnx\.ml\.TreeEnsembleRegressor\): the domain 'ai\.onnx\.ml' is not supported/);
  });

  test('unsupported attribute values name the node and what is supported', () => {
    expect(message(() => fromOnnx(oneNode('Conv', [{ shape: [1, 1, 4, 4] }, { shape: [1, 1, 2, 2] }], { auto_pad: s('SOMETIMES') })))).toMatch(
      /fromOnnx: node '\/conv_0\/Conv' \(Conv\): attribute auto_pad = 'SOMETIMES' is not supported \(supported: 'NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'\)/,
    );
    expect(message(() => fromOnnx(oneNode('MaxPool', [{ shape: [1, 1, 4, 4] }], { kernel_shape: ints([2, 2]), storage_order: i(1) })))).toMatch(/attribute storage_order = 1 is not supported \(supported: 0\)/);
    expect(message(() => fromOnnx(oneNode('MaxPool', [{ shape: [1, 1, 4, 4] }], { kernel_shape: ints([2, 2]) }, { outputs: 2 })))).toMatch(/only the first output is supported \(Indices are not computed\)/);
    expect(message(() => fromOnnx(oneNode('Gemm', [{ shape: [2, 2] }, { shape: [2, 2] }], { transA: i(2) })))).toMatch(/attribute transA = 2 is not supported/);
    expect(message(() => fromOnnx(oneNode('Gemm', [{ shape: [2, 2] }, { shape: [2, 2] }], { alpha: s('big') })))).toMatch(/attribute alpha must be a float, got a string/);
    expect(message(() => fromOnnx(oneNode('Cast', [{ shape: [2] }], { to: i(DataType.STRING) })))).toMatch(/casting to STRING is not supported/);
    expect(message(() => fromOnnx(oneNode('LSTM', [{ shape: [1, 1, 2] }, { shape: [1, 4, 2] }, { shape: [1, 4, 1] }], { hidden_size: i(1), activations: strings(['Relu', 'Tanh', 'Tanh']) }, { outputs: 3 })))).toMatch(
      /\(LSTM\): activations Relu, Tanh, Tanh are not supported \(supported: the defaults, Sigmoid, Tanh, Tanh\)/,
    );
    expect(message(() => fromOnnx(oneNode('GRU', [{ shape: [1, 1, 2] }, { shape: [1, 3, 2] }, { shape: [1, 3, 1] }], { hidden_size: i(1), clip: f(3) }, { outputs: 2 })))).toMatch(/\(GRU\): attribute clip is not supported/);
  });

  test('opsets outside 13–17 are refused, saying which are read', () => {
    for (const opset of [12, 18]) {
      expect(message(() => fromOnnx(oneNode('Relu', [{ shape: [2] }], {}, { opset })))).toBe(
        `ArgumentError: fromOnnx: opset ${opset} of the default domain (ai.onnx) is not supported (supported: opsets 13–17; re-export with opset_version=17, say)`,
      );
    }
    const proto = modelProto({ inputs: [{ name: 'x', shape: [2] }], outputs: [{ name: 'y' }], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] });
    proto.opsetImport = [];
    expect(message(() => fromOnnx(encodeModel(proto)))).toMatch(/imports no opset of the default domain/);
  });

  test('an operator younger than the opset the model imports is refused', () => {
    expect(message(() => fromOnnx(oneNode('LayerNormalization', [{ shape: [2, 3] }, { name: 's', type: DataType.FLOAT, dims: [3], data: [1, 1, 1] }], {}, { opset: 16 })))).toMatch(
      /node '\/layernormalization_0\/LayerNormalization' \(LayerNormalization\): the operator LayerNormalization is in opsets from 17, but the model imports opset 16/,
    );
    expect(message(() => fromOnnx(oneNode('Gelu', [{ shape: [2] }])))).toMatch(/the operator Gelu is not supported \(supported: .*\)/);
  });

  test('a graph whose nodes are out of order, or that computes a value twice, is refused', () => {
    const outOfOrder = buildModel({
      inputs: [{ name: 'x', shape: [2] }],
      outputs: [{ name: 'z' }],
      nodes: [{ op: 'Relu', inputs: ['y'], outputs: ['z'] }, { op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    });
    expect(message(() => fromOnnx(outOfOrder))).toMatch(/its input 'y' is not computed before it/);
    const twice = buildModel({
      inputs: [{ name: 'x', shape: [2] }],
      outputs: [{ name: 'y' }],
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }, { op: 'Neg', inputs: ['x'], outputs: ['y'] }],
    });
    expect(message(() => fromOnnx(twice))).toMatch(/the value 'y' is computed twice/);
  });

  test('the memory budget is checked before the initializers are read', () => {
    const before = setMemoryLimit(100_000);
    try {
      const e = (() => {
        try {
          fromOnnx(mlpBytes);
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(e).toBeInstanceOf(MemoryError);
      expect((e as Error).message).toMatch(/^fromOnnx: the ONNX model's initializers needs/);
    } finally {
      setMemoryLimit(before);
    }
  });

  test('an int64 beyond 2^53 in a dimension is refused', () => {
    const proto = modelProto({ inputs: [{ name: 'x', shape: [2] }], outputs: [{ name: 'y' }], nodes: [{ op: 'Add', inputs: ['x', 'w'], outputs: ['y'] }], initializers: [{ name: 'w', type: DataType.FLOAT, dims: [2], data: [1, 2] }] });
    ((proto.graph as { initializer: Array<{ dims: unknown }> }).initializer[0]!).dims = ['9007199254740993'];
    expect(message(() => fromOnnx(encodeModel(proto)))).toMatch(/initializer.*dims\[0\] must be an integer within ±2\^53, got a value beyond 2\^53/);
  });

  test('raw data of the wrong length is refused, naming the initializer', () => {
    const proto = modelProto({ inputs: [{ name: 'x', shape: [2] }], outputs: [{ name: 'y' }], nodes: [{ op: 'Add', inputs: ['x', 'w'], outputs: ['y'] }], initializers: [{ name: 'w', type: DataType.FLOAT, dims: [2], data: [1, 2], raw: true }] });
    const init = (proto.graph as { initializer: Array<{ rawData: Uint8Array }> }).initializer[0]!;
    init.rawData = init.rawData.subarray(0, 6);
    expect(message(() => fromOnnx(encodeModel(proto)))).toMatch(/fromOnnx: initializer 'w': raw_data holds 6 bytes, expected 8 for shape \[2\] of FLOAT/);
  });

  test('a value that is not a Uint8Array', () => {
    expect(message(() => fromOnnx('model.onnx' as never))).toMatch(/^ArgumentError: fromOnnx: bytes must be a Uint8Array holding an ONNX file, got "model.onnx"/);
    expect(message(() => new OnnxModel([1, 2] as never))).toMatch(/^ArgumentError: OnnxModel: bytes must be a Uint8Array/);
  });
});

describe('inputs', () => {
  const model = fromOnnx(mlpBytes);

  test('the wrong number of inputs names what the model takes', () => {
    expect(message(() => model.forward())).toBe('ArgumentError: OnnxModel.forward: the model takes 1 input (input [batch, 784]), got 0');
    expect(message(() => model.forward(tensor([[1]]), tensor([[1]])))).toMatch(/takes 1 input \(input \[batch, 784\]\), got 2/);
  });

  test('a wrong rank or static dimension names the input; the symbolic batch takes any size', () => {
    expect(message(() => model.forward(tensor(new Float64Array(784), [784])))).toBe("ShapeError: OnnxModel.forward: input 'input' must have shape [batch, 784] (rank 2), got [784]");
    expect(message(() => model.forward(tensor(new Float64Array(3 * 783), [3, 783])))).toBe(
      "ShapeError: OnnxModel.forward: input 'input' must have shape [batch, 784], got [3, 783] (dimension 1 is 783, expected 784)",
    );
    expect(model.forward(tensor(new Float64Array(5 * 784), [5, 784])).shape).toEqual([5, 10]);
    expect(model.forward(tensor(new Float64Array(784), [1, 784])).shape).toEqual([1, 10]);
  });

  test('one symbolic dimension must have one size across the inputs', () => {
    const bytes = oneNode('Add', [{ shape: ['n', 2] }, { shape: ['n', 2] }]);
    expect(message(() => fromOnnx(bytes).forward(tensor(new Float64Array(4), [2, 2]), tensor(new Float64Array(6), [3, 2])))).toBe(
      "ShapeError: OnnxModel.forward: dimension 'n' is 2 in input 'x0' but 3 in input 'x1' (dimension 0)",
    );
  });

  test('an INT64 input must hold integers', () => {
    const bytes = oneNode('Gather', [{ type: DataType.FLOAT, dims: [3, 2], data: [1, 2, 3, 4, 5, 6] }, { shape: [2], type: DataType.INT64 }]);
    const m = fromOnnx(bytes);
    expect(m.forward(tensor([2, 0])).toArray()).toEqual([[5, 6], [1, 2]]);
    expect(message(() => m.forward(tensor([0.5, 1])))).toBe("ArgumentError: OnnxModel.forward: input 'x1' is INT64, so its values must be integers, got 0.5 at flat position 0");
    expect(message(() => m.forward(tensor([3, 0])))).toMatch(/^AxisError: OnnxModel.forward: node '\/gather_0\/Gather' \(Gather\): take: /);
  });

  test('an error inside a node at run time names the node', () => {
    const bytes = buildModel({
      inputs: [{ name: 'x', shape: ['n', 3] }],
      outputs: [{ name: 'y' }],
      initializers: [{ name: 'shape', type: DataType.INT64, dims: [2], data: [2, -1] }],
      nodes: [{ op: 'Reshape', name: '/view/Reshape', inputs: ['x', 'shape'], outputs: ['y'] }],
    });
    expect(message(() => fromOnnx(bytes).forward(tensor(new Float64Array(9), [3, 3])))).toBe(
      "ArgumentError: OnnxModel.forward: node '/view/Reshape' (Reshape): cannot reshape the input of shape [3, 3] (9 elements) to [2, -1]",
    );
  });

  test('ScatterElements writing one position twice without a reduction is refused (ONNX leaves it undefined)', () => {
    const bytes = oneNode('ScatterElements', [{ shape: [4] }, { name: 'i', type: DataType.INT64, dims: [2], data: [1, -3] }, { shape: [2] }]);
    expect(message(() => fromOnnx(bytes).forward(tensor([1, 2, 3, 4]), tensor([5, 6])))).toBe(
      "ArgumentError: OnnxModel.forward: node '/scatterelements_0/ScatterElements' (ScatterElements): writes position 1 twice, which reduction 'none' leaves undefined",
    );
  });

  test('a graph of several outputs: forward points to run, which returns them in order', () => {
    const bytes = oneNode('Split', [{ shape: [4] }], {}, { outputs: 2 });
    const m = fromOnnx(bytes);
    expect(message(() => m.forward(tensor([1, 2, 3, 4])))).toBe('ArgumentError: OnnxModel.forward: the graph has 2 outputs (y0, y1); run(...inputs) returns them all, in this order');
    expect(m.run(tensor([1, 2, 3, 4])).map((t) => t.toArray())).toEqual([[1, 2], [3, 4]]);
  });
});

describe('shape arithmetic records nothing', () => {
  const chain = buildModel({
    inputs: [{ name: 'x', shape: ['batch', 3, 4] }],
    outputs: [{ name: 'y' }],
    initializers: [
      { name: 'w', type: DataType.FLOAT, dims: [12, 2], data: Array.from({ length: 24 }, (_, k) => k / 10) },
      { name: 'zero', type: DataType.INT64, dims: [], data: [0] },
      { name: 'axes0', type: DataType.INT64, dims: [1], data: [0] },
      { name: 'minus1', type: DataType.INT64, dims: [1], data: [-1] },
    ],
    nodes: [
      { op: 'Shape', inputs: ['x'], outputs: ['s'] },
      { op: 'Gather', inputs: ['s', 'zero'], outputs: ['b'], attrs: { axis: i(0) } },
      { op: 'Unsqueeze', inputs: ['b', 'axes0'], outputs: ['bu'] },
      { op: 'Concat', inputs: ['bu', 'minus1'], outputs: ['shape'], attrs: { axis: i(0) } },
      { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['flat'] },
      { op: 'MatMul', inputs: ['flat', 'w'], outputs: ['y'] },
      // Folded at load time: the shape of a parameter, and arithmetic on constants.
      { op: 'Shape', inputs: ['w'], outputs: ['ws'] },
      { op: 'Mul', inputs: ['ws', 'ws'], outputs: ['ws2'] },
    ],
  });

  test('a dynamic Shape chain runs per call from constants: only Reshape and MatMul are recorded', () => {
    const m = fromOnnx(chain);
    for (const batch of [2, 7]) {
      const x = param(tensor(Float64Array.from({ length: batch * 12 }, (_, k) => k), [batch, 3, 4]));
      const first = nextNodeId();
      const { outputs, values } = m.trace(x);
      expect(outputs[0]!.shape).toEqual([batch, 2]);
      expect(nextNodeId() - first).toBe(2);
      expect(values.get('shape')!.toArray()).toEqual([batch, -1]);
      expect(values.get('shape')!.requiresGrad).toBe(false);
      expect(values.get('ws2')!.toArray()).toEqual([144, 4]);
    }
    expect(m.describe()).toBe('OnnxModel(onnx-builder, opset 17: 6 nodes, 1 parameter; x [batch, 3, 4] → y (any shape))');
  });

  test('Constant nodes and integer initializers are not parameters; BatchNormalization statistics are buffers', () => {
    const bytes = oneNode('BatchNormalization', [
      { shape: ['n', 3] },
      { name: 'g', type: DataType.FLOAT, dims: [3], data: [1, 2, 3] },
      { name: 'b', type: DataType.FLOAT, dims: [3], data: [0, 0, 0] },
      { name: 'mu', type: DataType.FLOAT, dims: [3], data: [0, 1, 2] },
      { name: 'var', type: DataType.FLOAT, dims: [3], data: [1, 1, 4] },
    ], { epsilon: f(0) });
    const m = fromOnnx(bytes);
    expect(m.namedParameters().map(([k]) => k)).toEqual(['x1', 'x2']);
    expect(m.namedBuffers().map(([k]) => k)).toEqual(['x3', 'x4']);
    expect(m.forward(tensor([[1, 1, 4]])).toArray()).toEqual([[1, 0, 3]]);
    expect(fromOnnx(chain).namedParameters().map(([k]) => k)).toEqual(['w']);
  });
});

describe('corrupt bytes', () => {
  const models: Array<[string, Uint8Array]> = [
    ['the tiny MLP', tinyMlp()],
    ['a Conv and MaxPool model', buildModel({
      inputs: [{ name: 'x', shape: ['n', 1, 6, 6] }],
      outputs: [{ name: 'y' }],
      initializers: [{ name: 'w', type: DataType.FLOAT, dims: [2, 1, 3, 3], data: Array.from({ length: 18 }, (_, k) => k / 18), raw: true }, { name: 'shape', type: DataType.INT64, dims: [2], data: [0, -1] }],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { pads: ints([1, 1, 1, 1]) } },
        { op: 'MaxPool', inputs: ['c'], outputs: ['p'], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]) } },
        { op: 'Reshape', inputs: ['p', 'shape'], outputs: ['y'] },
      ],
    })],
  ];

  test('truncated bytes are a DeltaGraphError', () => {
    for (const [, bytes] of models) {
      for (const n of [0, 1, 7, bytes.length >> 1, bytes.length - 1]) {
        let model: OnnxModel | null = null;
        try {
          model = fromOnnx(bytes.subarray(0, n));
        } catch (e) {
          expect(e).toBeInstanceOf(DeltaGraphError);
        }
        if (model !== null) expect(model).toBeInstanceOf(OnnxModel);
      }
    }
    expect(() => fromOnnx(mlpBytes.subarray(0, mlpBytes.length - 100))).toThrow(ArgumentError);
  });

  test('random corruption gives a model or a DeltaGraphError, never another exception (also when the model runs)', () => {
    const edit = fc.record({
      which: fc.integer({ min: 0, max: models.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    let opened = 0;
    fc.assert(
      fc.property(edit, ({ which, flips, cut }) => {
        const bytes = models[which]![1].slice();
        for (const [at, v] of flips) bytes[at % bytes.length] = v;
        const data = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
        let model: OnnxModel;
        try {
          model = fromOnnx(data);
        } catch (e) {
          if (!(e instanceof DeltaGraphError)) throw e;
          return;
        }
        opened++;
        const x = which === 0 ? tensor([[0.5, -1], [2, 0.25]]) : tensor(Float64Array.from({ length: 72 }, (_, k) => Math.sin(k)), [2, 1, 6, 6]);
        try {
          const out: Tensor[] = model.run(...model.inputs.map(() => x));
          expect(out.every((t) => t instanceof Tensor)).toBe(true);
        } catch (e) {
          if (!(e instanceof DeltaGraphError)) throw e;
        }
      }),
      { numRuns: 400, seed: 7 },
    );
    expect(opened).toBeGreaterThan(0);
  });
});

describe('tensor data', () => {
  test('initializers of every element type, from raw_data and from the typed fields', () => {
    const le = (bytes: number[]) => new Uint8Array(bytes);
    const proto = modelProto({
      inputs: [],
      outputs: ['f', 'fr', 'd', 'dr', 'h', 'i64', 'i32', 'i8', 'u8', 'b', 'hr', 'i32r', 'u8r', 'br'].map((name) => ({ name })),
      nodes: [],
      initializers: [
        { name: 'f', type: DataType.FLOAT, dims: [2], data: [0.5, -3] },
        { name: 'fr', type: DataType.FLOAT, dims: [2], data: [0.5, -3], raw: true },
        { name: 'd', type: DataType.DOUBLE, dims: [2], data: [0.1, -1e300] },
        { name: 'dr', type: DataType.DOUBLE, dims: [2], data: [0.1, -1e300], raw: true },
        { name: 'h', type: DataType.FLOAT16, dims: [3], data: [1.5, -0.25, 65504] },
        { name: 'i64', type: DataType.INT64, dims: [3], data: [-(2 ** 53 - 1), 7, 2n ** 63n - 1n] },
        { name: 'i32', type: DataType.INT32, dims: [2], data: [-2147483648, 5] },
        { name: 'i8', type: DataType.INT8, dims: [2], data: [-128, 127] },
        { name: 'u8', type: DataType.UINT8, dims: [2], data: [0, 255] },
        { name: 'b', type: DataType.BOOL, dims: [3], data: [1, 0, 1] },
      ],
    });
    const inits = (proto.graph as { initializer: unknown[] }).initializer;
    inits.push(
      { name: 'hr', dims: [2], dataType: DataType.FLOAT16, rawData: le([0x00, 0x3e, 0x00, 0xfc]) },
      { name: 'i32r', dims: [2], dataType: DataType.INT32, rawData: le([0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0]) },
      { name: 'u8r', dims: [2], dataType: DataType.UINT8, rawData: le([7, 200]) },
      { name: 'br', dims: [2], dataType: DataType.BOOL, rawData: le([0, 3]) },
    );
    const m = fromOnnx(encodeModel(proto));
    const out = Object.fromEntries(m.run().map((t, k) => [m.outputs[k]!.name, Array.from(t.data)]));
    expect(out).toEqual({
      f: [0.5, -3], fr: [0.5, -3], d: [0.1, -1e300], dr: [0.1, -1e300], h: [1.5, -0.25, 65504],
      // INT64 values beyond ±(2^53 − 1) (INT64_MAX, Slice's "to the end") saturate to ±Infinity.
      i64: [-(2 ** 53 - 1), 7, Infinity], i32: [-2147483648, 5], i8: [-128, 127], u8: [0, 255], b: [1, 0, 1],
      hr: [1.5, -Infinity], i32r: [-1, 2], u8r: [7, 200], br: [0, 1],
    });
    // Float initializers are float64 parameters; the others are constants.
    expect(m.namedParameters().map(([k]) => k)).toEqual(['f', 'fr', 'd', 'dr', 'h', 'hr']);
  });

  test('pre-13 forms of the axes are refused: Squeeze and Unsqueeze attributes, ReduceMean as an input', () => {
    expect(message(() => fromOnnx(oneNode('Unsqueeze', [{ shape: [2] }], { axes: ints([0]) })))).toMatch(/\(Unsqueeze\): attribute axes is not supported/);
    expect(message(() => fromOnnx(oneNode('ReduceSum', [{ shape: [2] }], { axes: ints([0]) })))).toMatch(/takes its axes as an input from opset 13/);
    expect(message(() => fromOnnx(oneNode('ReduceMean', [{ shape: [2] }, { name: 'a', type: DataType.INT64, dims: [1], data: [0] }])))).toMatch(/takes its axes as the attribute axes until opset 18/);
  });
});

test('errors of the constructor name it, those of fromOnnx name fromOnnx', () => {
  const proto = modelProto({ inputs: [{ name: 'x', shape: [2] }], outputs: [{ name: 'y' }], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'], attrs: { big: i(0) } }] });
  (((proto.graph as { node: Array<{ attribute: Array<{ i: unknown }> }> }).node[0]!).attribute[0]!).i = '9007199254740993';
  const bytes = encodeModel(proto);
  expect(message(() => fromOnnx(bytes))).toBe("ArgumentError: fromOnnx: node '/relu_0/Relu' (Relu): attribute big must be an integer within ±2^53, got a value beyond 2^53");
  expect(message(() => new OnnxModel(bytes))).toBe("ArgumentError: OnnxModel: node '/relu_0/Relu' (Relu): attribute big must be an integer within ±2^53, got a value beyond 2^53");
  expect(message(() => new OnnxModel(oneNode('Relu', [{ shape: [2] }], {}, { opset: 9 })))).toMatch(/^ArgumentError: OnnxModel: opset 9 /);
});

test('raw float data reads the same at every alignment of the buffer', () => {
  const values = [0.5, -3, 1e-30, 65504.25];
  for (const type of [DataType.FLOAT, DataType.DOUBLE]) {
    const bytes = buildModel({ inputs: [], outputs: [{ name: 'w' }], nodes: [], initializers: [{ name: 'w', type, dims: [4], data: values, raw: true }] });
    for (const shift of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const copy = new Uint8Array(new ArrayBuffer(bytes.length + shift), shift);
      copy.set(bytes);
      const got = Array.from(fromOnnx(copy).run()[0]!.data);
      expect(got).toEqual(values.map((v) => (type === DataType.FLOAT ? Math.fround(v) : v)));
    }
  }
});

test('layer spans follow the node names: down to the first indexed scope, else the first scope', () => {
  const names = ['/0/Gemm', '/encoder/layer.1/attention/self/MatMul', '/encoder/layer.1/output/Add', '/attn/qkv/MatMul', 'Relu_7', '/head/Gemm'];
  const bytes = buildModel({
    inputs: [{ name: 'x', shape: [2, 2] }],
    outputs: [{ name: 'y5' }],
    initializers: [{ name: 'w', type: DataType.FLOAT, dims: [2, 2], data: [1, 0, 0, 1] }],
    nodes: names.map((name, k) => ({ op: k % 2 === 0 ? 'MatMul' : 'Add', name, inputs: [k === 0 ? 'x' : `y${k - 1}`, 'w'], outputs: [`y${k}`] })),
  });
  const m = fromOnnx(bytes);
  m.forward(param(tensor([[1, 2], [3, 4]])));
  expect(m.layerSpans().map((sp) => [sp.label, sp.detail, sp.span[1] - sp.span[0]])).toEqual([
    ['0', 'MatMul', 1],
    ['encoder.layer.1', 'Add · MatMul', 2],
    ['attn', 'Add', 1],
    ['head', 'Add', 1],
  ]);
});

test('initializers listed among the graph inputs (keep_initializers_as_inputs) are parameters, not inputs', () => {
  const bytes = buildModel({
    inputs: [{ name: 'x', shape: ['n', 2] }, { name: 'w', shape: [2, 1] }],
    outputs: [{ name: 'y' }],
    initializers: [{ name: 'w', type: DataType.FLOAT, dims: [2, 1], data: [2, -1] }],
    nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
  });
  const m = fromOnnx(bytes);
  expect(m.inputs.map((v) => v.name)).toEqual(['x']);
  expect(m.namedParameters().map(([k]) => k)).toEqual(['w']);
  expect(m.forward(tensor([[1, 1], [3, 4]])).toArray()).toEqual([[1], [2]]);
});

test('sizes an input asks for are checked against the memory budget before anything is made', () => {
  const resize = oneNode('Resize', [{ shape: [1, 1, 2, 2] }, null, null, { name: 'sizes', type: DataType.INT64, dims: [4], data: [1, 1, 40000, 40000] }]);
  const pad = oneNode('Pad', [{ shape: [2, 2] }, { name: 'pads', type: DataType.INT64, dims: [4], data: [0, 0, 30000, 30000] }], { mode: s('reflect') });
  const before = setMemoryLimit(1e8);
  try {
    for (const bytes of [resize, pad]) {
      const m = fromOnnx(bytes);
      expect(() => m.forward(tensor([[[[1, 2], [3, 4]]]]).reshape(m.inputs[0]!.shape as number[]))).toThrow(MemoryError);
    }
  } finally {
    setMemoryLimit(before);
  }
});
