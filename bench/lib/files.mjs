// Test data made on the spot: random files (incompressible) and a tarball of many files.
import { openSync, writeSync, closeSync, readSync, mkdirSync, fstatSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { join } from 'node:path';

/** Writes `size` random bytes; for large files a 64 MiB random block repeats (still incompressible per block). */
export async function randomFile(path, size) {
  const block = randomFillSync(Buffer.alloc(Math.min(size, 64 << 20)));
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size;) {
      const n = Math.min(block.length, size - written);
      written += writeSync(fd, block, 0, n);
    }
  } finally {
    closeSync(fd);
  }
}

export async function sameContent(a, b) {
  const fa = openSync(a, 'r');
  const fb = openSync(b, 'r');
  try {
    if (fstatSync(fa).size !== fstatSync(fb).size) return false;
    const ba = Buffer.alloc(4 << 20);
    const bb = Buffer.alloc(4 << 20);
    for (;;) {
      const na = readSync(fa, ba, 0, ba.length, null);
      const nb = readSync(fb, bb, 0, bb.length, null);
      if (na !== nb) return false;
      if (na === 0) return true;
      if (ba.compare(bb, 0, nb, 0, na) !== 0) return false;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}

/** `count` random files of `size` bytes each under dir/sub (names f0000…). */
export function manyFiles(dir, sub, count, size) {
  mkdirSync(join(dir, sub), { recursive: true });
  for (let i = 0; i < count; i++) {
    const fd = openSync(join(dir, sub, `f${String(i).padStart(4, '0')}`), 'w');
    writeSync(fd, randomFillSync(Buffer.alloc(size)));
    closeSync(fd);
  }
}
