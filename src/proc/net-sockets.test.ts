import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetParseError, isListening, parseInetSocketLine, parseInetSockets, parseUnixSocketLine, parseUnixSockets, socketInodeFromLink } from './net-sockets.js';

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/proc/net');
const fixture = (name: string): string => readFileSync(resolve(FIXTURES, name), 'latin1');

describe('parseInetSockets', () => {
  it('reads a tcp table: addresses, ports, state, queues, uid, inode', () => {
    const rows = parseInetSockets(fixture('tcp'), 'tcp');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ localAddress: '0.0.0.0', localPort: 2024, remoteAddress: '0.0.0.0', remotePort: 0, state: 10, inode: 1065 });
    expect(rows[1]).toMatchObject({ localAddress: '127.0.0.1', localPort: 22, rxQueue: 3, txQueue: 0, inode: 5678 });
    expect(rows[2]).toMatchObject({ remoteAddress: '203.0.113.80', remotePort: 80, state: 6, inode: 0 });
    expect(rows[3]).toMatchObject({ localAddress: '10.231.0.2', remoteAddress: '10.231.0.1', remotePort: 50000, state: 1, txQueue: 0x24 });
  });
  it('reads tcp6 with ::, ::1, IPv4-mapped and link-local addresses', () => {
    const rows = parseInetSockets(fixture('tcp6'), 'tcp6');
    expect(rows.map((r) => `${r.localAddress}:${r.localPort}`)).toEqual([':::22', '::1:4568', '::ffff:127.0.0.1:80', 'fe80::fc:ff:fe0e:1:8080']);
    expect(rows[1]).toMatchObject({ uid: 1000, family: 6, transport: 'tcp' });
  });
  it('udp: unconnected sockets count as listening, connected ones do not', () => {
    const rows = parseInetSockets(fixture('udp'), 'udp');
    expect(rows.map(isListening)).toEqual([true, true, false]);
    expect(rows[0]).toMatchObject({ localPort: 5353, transport: 'udp' });
  });
  it('header-only and empty tables give no rows', () => {
    expect(parseInetSockets(fixture('raw'), 'raw')).toEqual([]);
    expect(parseInetSockets('', 'tcp')).toEqual([]);
  });
  it('a malformed line is an error that carries the line', () => {
    expect(() => parseInetSocketLine('   0: 0100007F 00000000:0000 0A', 'tcp')).toThrow(NetParseError);
    expect(() => parseInetSocketLine('   0: XYZ:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1', 'tcp')).toThrow(/bad endpoint/);
    expect(() => parseInetSocketLine('   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1', 'tcp6')).toThrow(/bad endpoint/);
  });
});

describe('parseUnixSockets', () => {
  it('reads listening flags, types, abstract names and paths with spaces', () => {
    const rows = parseUnixSockets(fixture('unix'));
    expect(rows).toEqual([
      { refCount: 2, flags: 0x10000, type: 'STREAM', state: 1, inode: 20934, path: '/run/gokrazy-http.sock', listening: true },
      { refCount: 3, flags: 0, type: 'STREAM', state: 3, inode: 1062, path: '', listening: false },
      { refCount: 2, flags: 0, type: 'DGRAM', state: 1, inode: 1070, path: '@abstract name', listening: false },
      { refCount: 2, flags: 0x10000, type: 'SEQPACKET', state: 1, inode: 1071, path: '/tmp/with space.sock', listening: true },
    ]);
  });
  it('rejects garbage', () => expect(() => parseUnixSocketLine('hello world')).toThrow(NetParseError));
});

it('socketInodeFromLink', () => {
  expect(socketInodeFromLink('socket:[12345]')).toBe(12345);
  expect(socketInodeFromLink('pipe:[12345]')).toBeUndefined();
  expect(socketInodeFromLink('/dev/null')).toBeUndefined();
});

describe('on the real /proc/net', () => {
  it.each(['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'] as const)('%s parses completely', (table) => {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${table}`, 'latin1');
    } catch {
      return; // no IPv6 / raw support in this kernel
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '').length - 1;
    expect(parseInetSockets(text, table)).toHaveLength(lines);
  });
  it('unix parses completely', () => {
    const text = readFileSync('/proc/net/unix', 'latin1');
    expect(parseUnixSockets(text)).toHaveLength(text.split('\n').filter((l) => l.trim() !== '').length - 1);
  });
});
