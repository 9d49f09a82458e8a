// Runs ONNX models in onnxruntime-node, outside jest (whose sandbox realm makes onnxruntime's
// typed-array checks fail). Reads [{ model: base64, feeds: { name: { type, dims, data } } }] as
// JSON on stdin and writes [{ outputs: { name: { type, dims, data } } } | { error }] to stdout.
// Non-finite numbers travel as the strings 'NaN', 'Infinity' and '-Infinity'.
const ort = require('onnxruntime-node');

const ARRAYS = { float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array, bool: Uint8Array, uint8: Uint8Array, int8: Int8Array };
const decode = (v) => (typeof v === 'string' ? Number(v) : v);
const encode = (v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : Number.isFinite(v) ? v : String(v));

async function main() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const cases = JSON.parse(text);
  const results = [];
  for (const c of cases) {
    try {
      const session = await ort.InferenceSession.create(Buffer.from(c.model, 'base64'));
      const feeds = {};
      for (const [name, f] of Object.entries(c.feeds)) {
        const Arr = ARRAYS[f.type];
        const data = f.type === 'int64' ? BigInt64Array.from(f.data.map((v) => BigInt(v))) : Arr.from(f.data.map(decode));
        feeds[name] = new ort.Tensor(f.type, data, f.dims);
      }
      const out = await session.run(feeds);
      const outputs = {};
      for (const [name, t] of Object.entries(out)) outputs[name] = { type: t.type, dims: Array.from(t.dims), data: Array.from(t.data, encode) };
      results.push({ outputs });
    } catch (e) {
      results.push({ error: String(e && e.message ? e.message : e) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}
main();
