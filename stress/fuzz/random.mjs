// Seeded randomness for the fuzz targets: mulberry32, so that the same seed gives the
// same inputs. Each target derives its own stream (`forTarget`) so adding inputs to one
// target does not shift the inputs of another.

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, to mix a target name into the seed. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }

  static forTarget(seed, name) {
    return new Rng((Number(seed) ^ fnv1a(name)) >>> 0);
  }

  /** Integer in [lo, hi] (inclusive). */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p) {
    return this.next() < p;
  }

  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }

  /** Picks by weight: `[[weight, value], …]`. */
  weighted(pairs) {
    const total = pairs.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    return pairs.at(-1)[1];
  }

  uint32() {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** A length biased towards small values and boundaries. */
  size(max) {
    return this.weighted([
      [6, this.int(0, Math.min(max, 16))],
      [3, this.int(0, Math.min(max, 512))],
      [1, this.int(0, max)],
      [1, this.pick([0, 1, max, Math.max(0, max - 1)])],
    ]);
  }

  /** n random bytes; `avoid` lists byte values that must not appear. */
  bytes(n, avoid = []) {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      let b = this.int(0, 255);
      while (avoid.includes(b)) b = this.int(0, 255);
      out[i] = b;
    }
    return out;
  }

  /** A string of n characters drawn from `alphabet`. */
  string(n, alphabet) {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

/** Parses `--seed N` style input: any integer (default: time based). */
export function normalizeSeed(seed) {
  if (seed === undefined || seed === null || seed === '') return (Date.now() % 2147483647) >>> 0;
  const n = Number(seed);
  if (!Number.isFinite(n)) throw new Error(`seed must be a number, got ${seed}`);
  return Math.trunc(n) >>> 0;
}
