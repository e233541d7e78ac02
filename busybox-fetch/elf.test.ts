import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { lookupArch } from './arch.js';
import { makeElf } from './elf-fixture.js';
import { readElf } from './elf.js';
import { checkBinary } from './fetch.js';

describe('readElf', () => {
  it.each([
    [{ elfClass: 64 as const, machine: 183 }, { elfClass: 64, littleEndian: true, machine: 183 }],
    [{ elfClass: 32 as const, machine: 40 }, { elfClass: 32, littleEndian: true, machine: 40 }],
    [{ elfClass: 32 as const, machine: 8, littleEndian: false }, { elfClass: 32, littleEndian: false, machine: 8 }],
  ])('reads class, byte order and machine of %o', (spec, want) => {
    const info = readElf(makeElf(spec));
    expect(info).toMatchObject(want);
    expect(info.interpreter).toBeUndefined();
  });

  it.each([64 as const, 32 as const])('finds PT_INTERP (%i-bit), after other program headers', (elfClass) => {
    const info = readElf(makeElf({ elfClass, machine: 62, loads: 3, interpreter: '/lib64/ld-linux-x86-64.so.2' }));
    expect(info.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
  });

  it('reads the real static busybox on this host', async () => {
    const info = readElf(await readFile('/bin/busybox'));
    expect(info).toMatchObject({ elfClass: 64, machine: 62 });
    expect(info.interpreter).toBeUndefined();
  });

  it.each([
    [Buffer.from('#!/bin/sh\necho not elf\n'.repeat(4)), /not an ELF file/],
    [Buffer.alloc(10), /not an ELF file/],
    [(() => { const b = makeElf({ elfClass: 64, machine: 62 }); b[4] = 9; return b; })(), /bad ELF class 9/],
    [makeElf({ elfClass: 64, machine: 62, interpreter: '/x' }).subarray(0, 64 + 56), /program header 1 lies outside/],
  ])('refuses garbage %#', (data, message) => {
    expect(() => readElf(data)).toThrow(message);
  });
});

describe('checkBinary', () => {
  const arm64 = lookupArch('arm64')!;
  it('accepts a static binary for the arch', () => {
    expect(() => checkBinary(makeElf({ elfClass: 64, machine: 183 }), arm64, 'bb')).not.toThrow();
  });
  it('refuses another machine, naming both', () => {
    expect(() => checkBinary(makeElf({ elfClass: 64, machine: 62 }), arm64, 'bb')).toThrow('bb is a 64-bit x86-64 binary, not 64-bit aarch64 (--arch arm64)');
  });
  it('refuses a dynamic binary, naming its interpreter', () => {
    expect(() => checkBinary(makeElf({ elfClass: 64, machine: 183, interpreter: '/lib/ld-linux-aarch64.so.1' }), arm64, 'bb')).toThrow(
      /bb is dynamically linked \(interpreter \/lib\/ld-linux-aarch64\.so\.1\)/,
    );
  });
});

describe('lookupArch', () => {
  it.each([
    ['arm64', 'arm64', 'arm64'], ['aarch64', 'arm64', 'arm64'], ['amd64', 'amd64', 'amd64'], ['386', '386', 'i386'], ['i386', '386', 'i386'],
    ['arm', 'arm', 'armhf'], ['armhf', 'arm', 'armhf'], ['armel', 'arm', 'armel'], ['riscv64', 'riscv64', 'riscv64'], ['AMD64', 'amd64', 'amd64'],
  ])('%s → GOARCH %s, Debian %s', (name, goarch, debian) => {
    expect(lookupArch(name)).toMatchObject({ goarch, debian });
  });
  it('unknown → undefined', () => {
    expect(lookupArch('mips')).toBeUndefined();
  });
});
