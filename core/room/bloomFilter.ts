// A Bloom filter of strings: "absent" is always right, "maybe present" is wrong
// about 1% of the time at the capacity it was sized for. The sold-out fast path
// uses it to know, without asking Redis, that a shopper never joined.

/** 10 bits per item and 7 hashes give about 1% false positives. */
const bitsPerItem = 10;
const hashCount = 7;

/** 32-bit FNV-1a from a given offset basis. */
function fnv1a(text: string, basis: number): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads the bits of the second hash. */
function mix(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class BloomFilter {
  private readonly bits: Uint8Array;
  private readonly size: number;

  constructor(capacity: number) {
    this.size = Math.max(64, Math.ceil(capacity * bitsPerItem));
    this.bits = new Uint8Array(Math.ceil(this.size / 8));
  }

  /** Bytes held, for whoever sizes memory. */
  get byteLength(): number {
    return this.bits.byteLength;
  }

  add(item: string): void {
    this.visit(item, (index) => {
      this.bits[index >>> 3] = (this.bits[index >>> 3] ?? 0) | (1 << (index & 7));
      return true;
    });
  }

  mightContain(item: string): boolean {
    return this.visit(item, (index) => ((this.bits[index >>> 3] ?? 0) & (1 << (index & 7))) !== 0);
  }

  /** Double hashing (h1 + i*h2): k positions from two hashes; stops at the first false. */
  private visit(item: string, at: (index: number) => boolean): boolean {
    const h1 = fnv1a(item, 0x811c9dc5);
    const h2 = (mix(fnv1a(item, 0x050c5d1f)) | 1) >>> 0;
    for (let i = 0; i < hashCount; i++) {
      if (!at((h1 + i * h2) % this.size)) return false;
    }
    return true;
  }
}
