// An in-memory coarse index for one large collection: each vector as sign bits after subtracting
// the collection's mean (centering makes the bits split the data evenly), plus an int8 copy. A
// query scans all bit strings by Hamming distance (popcount over 32-bit words), keeps the nearest
// `candidates`, and ranks them by int8 dot product (within about 0.001 of the exact cosine).
// Reading exact vectors back from vec0 was measured and dropped: a vec0 point lookup reads from its
// large chunk blobs and took ~90 µs per row at 100k rows. The index follows the database: when the
// collection's revision moves (this or another process wrote), new chunks are loaded and deleted
// ones dropped.
import type { Db } from '../../../lib/sqlite.js';
import { vectorTable } from '../store/schema.js';
import { blobFloats } from '../store/vectors.js';

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export interface CoarseHit {
  id: number;
  /** Approximate cosine similarity from the int8 copy. */
  similarity: number;
}

export class BinaryIndex {
  private revision = -1;
  private dims = 0;
  private words = 0;
  private count = 0;
  private ids = new Int32Array(0);
  private bits = new Uint32Array(0);
  private q8 = new Int8Array(0);
  private scales = new Float32Array(0);
  private mean = new Float32Array(0);
  private readonly slots = new Map<number, number>();

  constructor(private readonly collectionId: number) {}

  get size(): number {
    return this.count;
  }

  /** Brings the index up to the collection's revision. */
  sync(db: Db, revision: number, dimensions: number): void {
    if (revision === this.revision && dimensions === this.dims) return;
    const current = (
      db
        .prepare('SELECT k.id FROM chunks k JOIN documents d ON d.id = k.document_id WHERE d.collection_id = ? ORDER BY k.id')
        .all(this.collectionId) as { id: number }[]
    ).map((r) => r.id);
    const keep = new Set(current);
    const added = current.filter((id) => !this.slots.has(id));
    const removed = this.count - (current.length - added.length);
    // Rebuild from scratch on first use, a dimension change, or when most of it changed.
    if (dimensions !== this.dims || this.count === 0 || added.length + removed > this.count / 2) this.rebuild(db, dimensions);
    else {
      if (removed > 0) this.compact(keep);
      this.append(db, added);
    }
    this.revision = revision;
  }

  private rebuild(db: Db, dimensions: number): void {
    this.dims = dimensions;
    this.words = Math.ceil(dimensions / 32);
    const rows = db.prepare(`SELECT rowid AS id, embedding FROM "${vectorTable(this.collectionId)}"`).all() as {
      id: number;
      embedding: Buffer;
    }[];
    const vectors = rows.map((r) => blobFloats(r.embedding));
    this.mean = new Float32Array(dimensions);
    for (const v of vectors) for (let d = 0; d < dimensions; d++) this.mean[d] = this.mean[d]! + v[d]! / Math.max(1, vectors.length);
    this.count = 0;
    this.slots.clear();
    this.reserve(rows.length);
    rows.forEach((r, i) => this.put(r.id, vectors[i]!));
  }

  private reserve(extra: number): void {
    const need = this.count + extra;
    if (need <= this.ids.length) return;
    const cap = Math.max(need, Math.ceil(this.ids.length * 1.5), 1024);
    const grow = <T extends Int32Array | Uint32Array | Int8Array | Float32Array>(old: T, make: (n: number) => T, per: number): T => {
      const next = make(cap * per);
      next.set(old.subarray(0, this.count * per));
      return next;
    };
    this.ids = grow(this.ids, (n) => new Int32Array(n), 1);
    this.bits = grow(this.bits, (n) => new Uint32Array(n), this.words);
    this.q8 = grow(this.q8, (n) => new Int8Array(n), this.dims);
    this.scales = grow(this.scales, (n) => new Float32Array(n), 1);
  }

  private put(id: number, v: Float32Array): void {
    const slot = this.count++;
    this.ids[slot] = id;
    this.slots.set(id, slot);
    let max = 0;
    for (let d = 0; d < this.dims; d++) {
      max = Math.max(max, Math.abs(v[d]!));
      const w = slot * this.words + (d >>> 5);
      if (v[d]! - this.mean[d]! > 0) this.bits[w] = this.bits[w]! | (1 << (d & 31));
    }
    const scale = max / 127 || 1;
    this.scales[slot] = scale;
    for (let d = 0; d < this.dims; d++) this.q8[slot * this.dims + d] = Math.round(v[d]! / scale);
  }

  private append(db: Db, ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.reserve(ids.length);
    const one = db.prepare(`SELECT embedding FROM "${vectorTable(this.collectionId)}" WHERE rowid = ?`);
    for (const id of ids) {
      const row = one.get(id) as { embedding: Buffer } | undefined;
      if (row) this.put(id, blobFloats(row.embedding));
    }
  }

  private compact(keep: ReadonlySet<number>): void {
    let to = 0;
    for (let from = 0; from < this.count; from++) {
      const id = this.ids[from]!;
      if (!keep.has(id)) {
        this.slots.delete(id);
        continue;
      }
      if (to !== from) {
        this.ids[to] = id;
        this.bits.copyWithin(to * this.words, from * this.words, (from + 1) * this.words);
        this.q8.copyWithin(to * this.dims, from * this.dims, (from + 1) * this.dims);
        this.scales[to] = this.scales[from]!;
        this.slots.set(id, to);
      }
      to++;
    }
    this.bits.fill(0, to * this.words, this.count * this.words);
    this.count = to;
  }

  /** A stored vector from the int8 copy (within about 1% of the original per component). */
  vector(id: number): Float32Array | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    const out = new Float32Array(this.dims);
    const scale = this.scales[slot]!;
    for (let d = 0; d < this.dims; d++) out[d] = this.q8[slot * this.dims + d]! * scale;
    return out;
  }

  /** The `limit` best of the `candidates` nearest bit strings, by int8 dot product. */
  search(query: Float32Array, candidates: number, limit: number): CoarseHit[] {
    const { words, dims, count } = this;
    if (count === 0) return [];
    const qbits = new Uint32Array(words);
    for (let d = 0; d < dims; d++) if (query[d]! - this.mean[d]! > 0) qbits[d >>> 5] = qbits[d >>> 5]! | (1 << (d & 31));
    const distance = new Uint16Array(count);
    const histogram = new Uint32Array(dims + 1);
    for (let i = 0; i < count; i++) {
      let h = 0;
      const base = i * words;
      for (let w = 0; w < words; w++) h += popcount(this.bits[base + w]! ^ qbits[w]!);
      distance[i] = h;
      histogram[h] = histogram[h]! + 1;
    }
    // The Hamming radius that takes in at least `candidates` vectors.
    let radius = 0;
    for (let seen = 0; radius <= dims; radius++) {
      seen += histogram[radius]!;
      if (seen >= candidates) break;
    }
    // Keep the `limit` best by int8 dot product in a min-heap (the worst kept at the top).
    const heapIds = new Int32Array(limit);
    const heapScores = new Float64Array(limit);
    let size = 0;
    const siftDown = (at: number) => {
      for (;;) {
        const l = 2 * at + 1;
        const r = l + 1;
        let low = at;
        if (l < size && heapScores[l]! < heapScores[low]!) low = l;
        if (r < size && heapScores[r]! < heapScores[low]!) low = r;
        if (low === at) return;
        [heapScores[at], heapScores[low]] = [heapScores[low]!, heapScores[at]!];
        [heapIds[at], heapIds[low]] = [heapIds[low]!, heapIds[at]!];
        at = low;
      }
    };
    for (let i = 0; i < count; i++) {
      if (distance[i]! > radius) continue;
      let s = 0;
      const base = i * dims;
      for (let d = 0; d < dims; d++) s += query[d]! * this.q8[base + d]!;
      s *= this.scales[i]!;
      if (size < limit) {
        let at = size++;
        heapScores[at] = s;
        heapIds[at] = this.ids[i]!;
        while (at > 0) {
          const parent = (at - 1) >> 1;
          if (heapScores[parent]! <= heapScores[at]!) break;
          [heapScores[at], heapScores[parent]] = [heapScores[parent]!, heapScores[at]!];
          [heapIds[at], heapIds[parent]] = [heapIds[parent]!, heapIds[at]!];
          at = parent;
        }
      } else if (s > heapScores[0]!) {
        heapScores[0] = s;
        heapIds[0] = this.ids[i]!;
        siftDown(0);
      }
    }
    const hits: CoarseHit[] = [];
    for (let i = 0; i < size; i++) hits.push({ id: heapIds[i]!, similarity: heapScores[i]! });
    return hits.sort((a, b) => b.similarity - a.similarity);
  }
}
