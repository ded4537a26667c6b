// Vector encodings for sqlite-vec: float32 blobs, and sign bits for the binary-quantized pass.

export function floatBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function blobFloats(blob: Buffer): Float32Array {
  // Copy: the blob's memory may be unaligned for a Float32Array view.
  const out = new Float32Array(blob.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = blob.readFloatLE(i * 4);
  return out;
}

/** Bits per vector in the binary column: the dimension rounded up to a whole byte. */
export function bitWidth(dimensions: number): number {
  return Math.ceil(dimensions / 8) * 8;
}

/** One bit per component, set when the component is positive; padding bits stay zero. */
export function signBits(vector: Float32Array): Buffer {
  const out = Buffer.alloc(bitWidth(vector.length) / 8);
  for (let i = 0; i < vector.length; i++) if (vector[i]! > 0) out[i >> 3] = out[i >> 3]! | (1 << (i & 7));
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
