/**
 * The IDX file format (the MNIST files): a 4-byte magic number — two zero bytes, a type code
 * (0x08 unsigned byte … 0x0e float64) and the number of dimensions — then one big-endian 32-bit
 * size per dimension, then the values in row-major order, big-endian.
 */
import { ArgumentError, Tensor, describe, shapeProblem } from '../../lib';
import { numberIn, optionsIn, stringIn } from '../args';

const TYPES: Record<number, { bytes: number; read: (v: DataView, offset: number) => number; name: string }> = {
  0x08: { bytes: 1, read: (v, o) => v.getUint8(o), name: 'uint8' },
  0x09: { bytes: 1, read: (v, o) => v.getInt8(o), name: 'int8' },
  0x0b: { bytes: 2, read: (v, o) => v.getInt16(o, false), name: 'int16' },
  0x0c: { bytes: 4, read: (v, o) => v.getInt32(o, false), name: 'int32' },
  0x0d: { bytes: 4, read: (v, o) => v.getFloat32(o, false), name: 'float32' },
  0x0e: { bytes: 8, read: (v, o) => v.getFloat64(o, false), name: 'float64' },
};

/**
 * Options of parseIdx: how many items to read, a scale for the values, a name for messages.
 * @inline
 */
export interface IdxOptions {
  /** Read only the first `limit` items along the first axis. */
  limit?: number;
  /** Multiply every value by this (e.g. 1/255 for pixels). */
  scale?: number;
  /** Name for error messages. */
  source?: string;
}

export function parseIdx(bytes: Uint8Array, options: IdxOptions = {}): Tensor {
  if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`parseIdx: expected the file's bytes as a Uint8Array (or Buffer), got ${describe(bytes)}`);
  const o = optionsIn('parseIdx', options);
  const source = stringIn('parseIdx', 'source', o.source, 'IDX data');
  const limit = o.limit === undefined ? undefined : numberIn('parseIdx', 'limit', o.limit, { min: 0, integer: true });
  const scale = numberIn('parseIdx', 'scale', o.scale, {}, 1);
  if (bytes.length < 4) throw new ArgumentError(`parseIdx: ${source} is ${bytes.length} bytes long, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = TYPES[bytes[2]!];
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined) {
    throw new ArgumentError(`parseIdx: ${source} does not start with an IDX magic number (got bytes ${Array.from(bytes.subarray(0, 4)).join(' ')})`);
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new ArgumentError(`parseIdx: ${source} ends inside its header`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  if (limit !== undefined && rank > 0) shape[0] = Math.min(shape[0]!, limit);
  const problem = shapeProblem(shape);
  if (problem !== null) throw new ArgumentError(`parseIdx: ${source} has a header that is not a valid shape: ${problem}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length < header + count * type.bytes) {
    throw new ArgumentError(`parseIdx: ${source} holds ${bytes.length - header} bytes of ${type.name} data, but its header [${shape.join(', ')}] needs ${count * type.bytes}`);
  }
  const data = new Float64Array(count);
  if (type.bytes === 1 && bytes[2] === 0x08) {
    // The common case (MNIST pixels and labels): a straight byte loop.
    for (let i = 0; i < count; i++) data[i] = bytes[header + i]! * scale;
  } else {
    for (let i = 0; i < count; i++) data[i] = type.read(view, header + i * type.bytes) * scale;
  }
  return new Tensor(data, shape);
}
