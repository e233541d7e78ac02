import { constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_HEADER, EXTENSIONS, ExtReader, OPEN, STATUS, encodeUint64Reply, encodeVersion, finishDataPacket, openFlags, parseInit, statusForErrno } from './wire.js';

describe('SFTP wire helpers', () => {
  it('finishes a DATA packet around bytes read into it, cut to what was read', () => {
    const packet = Buffer.alloc(DATA_HEADER + 8, 0xee);
    packet.write('abc', DATA_HEADER);
    const out = finishDataPacket(packet, 0x01020304, 3);
    // uint32 length (type + id + string), byte SSH_FXP_DATA (103), uint32 id, string data
    expect(out.toString('hex')).toBe(['0000000c', '67', '01020304', '00000003', '616263'].join(''));
    expect(out.buffer).toBe(packet.buffer); // no copy
  });

  it('encodes VERSION 3 with extension pairs (filexfer-02 §4, PROTOCOL §4)', () => {
    const pkt = encodeVersion(3, [['posix-rename@openssh.com', '1']]);
    expect(pkt.readUInt32BE(0)).toBe(pkt.length - 4);
    expect(pkt[4]).toBe(2);
    expect(pkt.readUInt32BE(5)).toBe(3);
    const r = new ExtReader(pkt.subarray(9));
    expect([r.string(), r.string()]).toEqual(['posix-rename@openssh.com', '1']);
    expect(EXTENSIONS.map(([n]) => n)).toEqual(expect.arrayContaining(['statvfs@openssh.com', 'hardlink@openssh.com', 'fsync@openssh.com', 'limits@openssh.com']));
  });

  it('encodes EXTENDED_REPLY with uint64 fields', () => {
    const pkt = encodeUint64Reply(7, [1, 2 ** 40]);
    expect(pkt[4]).toBe(201);
    expect(pkt.readUInt32BE(5)).toBe(7);
    expect(pkt.readBigUInt64BE(9)).toBe(1n);
    expect(pkt.readBigUInt64BE(17)).toBe(2n ** 40n);
  });

  it('parses INIT and refuses other packets', () => {
    expect(parseInit(Buffer.from([1, 0, 0, 0, 3]))).toEqual({ version: 3 });
    expect(parseInit(Buffer.from([3, 0, 0, 0, 3]))).toBeUndefined();
  });

  it('reads SSH strings and refuses truncated ones', () => {
    expect(() => new ExtReader(Buffer.from([0, 0, 0, 9, 65])).string()).toThrow(/truncated/);
    expect(() => new ExtReader().bytes()).toThrow(/truncated/);
  });

  it.each([
    ['ENOENT', STATUS.NO_SUCH_FILE], ['ENOTDIR', STATUS.NO_SUCH_FILE], ['EACCES', STATUS.PERMISSION_DENIED], ['EPERM', STATUS.PERMISSION_DENIED],
    ['EINVAL', STATUS.BAD_MESSAGE], ['ENOSYS', STATUS.OP_UNSUPPORTED], ['EEXIST', STATUS.FAILURE], [undefined, STATUS.FAILURE],
  ])('errno %s → status %i', (code, status) => {
    expect(statusForErrno(code)).toBe(status);
  });

  it.each([
    [OPEN.READ, constants.O_RDONLY],
    [OPEN.WRITE | OPEN.CREAT | OPEN.TRUNC, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC],
    [OPEN.READ | OPEN.WRITE | OPEN.APPEND, constants.O_RDWR | constants.O_APPEND],
    [OPEN.WRITE | OPEN.CREAT | OPEN.EXCL, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL],
  ])('pflags %i → open flags %i', (pflags, flags) => {
    expect(openFlags(pflags, constants)).toBe(flags);
  });
});
