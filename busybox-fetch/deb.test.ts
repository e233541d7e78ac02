import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { makeTar } from '../test/fixtures/tar/build.js';
import { debDataTar, fileFromTar, parseAr } from './deb.js';
import { makeDeb } from './deb-fixture.js';

describe('parseAr', () => {
  it('reads the members of a .deb, odd sizes padded', async () => {
    const deb = makeDeb([['debian-binary', Buffer.from('2.0\n')], ['control.tar.gz', Buffer.from('abc')], ['data.tar', Buffer.from('xyz!')]]);
    expect(parseAr(deb).map((m) => [m.name, m.data.toString()])).toEqual([
      ['debian-binary', '2.0\n'],
      ['control.tar.gz', 'abc'],
      ['data.tar', 'xyz!'],
    ]);
  });
  it.each([
    [Buffer.from('PK\x03\x04 zip, not ar'), /no ar "!<arch>" magic/],
    [Buffer.concat([Buffer.from('!<arch>\n'), Buffer.alloc(60, 0x20)]), /bad ar member header/],
    [makeDeb([['data.tar', Buffer.alloc(100)]]).subarray(0, 8 + 60 + 10), /truncated/],
  ])('refuses a bad archive %#', (data, message) => {
    expect(() => parseAr(data)).toThrow(message);
  });
});

describe('debDataTar + fileFromTar', () => {
  it('finds ./bin/busybox in data.tar.gz', async () => {
    const data = await makeTar([{ name: './bin/', type: 'directory' }, { name: './bin/busybox', body: 'BB', mode: 0o755 }]);
    const deb = makeDeb([['debian-binary', Buffer.from('2.0\n')], ['data.tar.gz', gzipSync(data)]]);
    expect((await fileFromTar(await debDataTar(deb), ['bin/busybox']))?.toString()).toBe('BB');
  });
  it('unpacks data.tar.xz with xz', async () => {
    const { execFileSync } = await import('node:child_process');
    const data = await makeTar([{ name: './bin/busybox', body: 'XZBB' }]);
    const xz = execFileSync('xz', ['-c'], { input: data });
    const deb = makeDeb([['debian-binary', Buffer.from('2.0\n')], ['data.tar.xz', xz]]);
    expect((await fileFromTar(await debDataTar(deb), ['bin/busybox']))?.toString()).toBe('XZBB');
  });
  it('says when there is no data.tar or an unknown compression', async () => {
    await expect(debDataTar(makeDeb([['debian-binary', Buffer.from('2.0\n')]]))).rejects.toThrow(/no data\.tar member/);
    await expect(debDataTar(makeDeb([['data.tar.lzma', Buffer.from('x')]]))).rejects.toThrow(/unsupported compression data\.tar\.lzma/);
  });
});
