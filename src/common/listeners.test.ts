import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { InterfaceTable } from './addresses.js';
import { ListenerSet } from './listeners.js';

const info = (address: string) => ({ address, family: 'IPv4', netmask: '', mac: '', internal: false, cidr: null }) as never;

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

let set: ListenerSet | undefined;
afterEach(async () => set?.close());

describe('ListenerSet', () => {
  it('with --listen private, follows the interface table on rescan, on one port', async () => {
    let table: InterfaceTable = { lo: [info('127.0.0.1')], uplink0: [info('127.0.0.3')] };
    const lines: string[] = [];
    set = new ListenerSet({
      spec: { kind: 'private' },
      port: 0,
      createServer: () => createServer((s) => s.destroy()),
      onListening: (display) => lines.push(display),
      onError: (display, err) => lines.push(`error ${display} ${err.message}`),
      rescanMs: 50,
      interfaces: () => table,
    });
    await set.start();
    const port = set.boundPort;
    expect(port).toBeGreaterThan(0);
    expect(lines).toEqual([`127.0.0.1:${port}`]);
    expect(await canConnect('127.0.0.3', port)).toBe(false); // uplink* is never listened on

    table = { lo: [info('127.0.0.1')], eth0: [info('127.0.0.2')] };
    await new Promise((r) => setTimeout(r, 200));
    expect(lines).toEqual([`127.0.0.1:${port}`, `127.0.0.2:${port}`]);
    expect(await canConnect('127.0.0.2', port)).toBe(true);

    table = { lo: [info('127.0.0.1')] };
    await new Promise((r) => setTimeout(r, 200));
    expect(set.addresses()).toEqual(['127.0.0.1']);
    expect(await canConnect('127.0.0.2', port)).toBe(false);
  });

  it('reports an address it cannot listen on once, not on every rescan', async () => {
    const errors: string[] = [];
    set = new ListenerSet({
      spec: { kind: 'private' },
      port: 0,
      createServer: () => createServer(),
      onListening: () => undefined,
      onError: (display, err) => errors.push(`${display}: ${err.message}`),
      rescanMs: 30,
      // 10.255.255.254 is private but not ours: EADDRNOTAVAIL.
      interfaces: () => ({ lo: [info('127.0.0.1')], eth0: [info('10.255.255.254')] }),
    });
    await set.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^10\.255\.255\.254:\d+: .*EADDRNOTAVAIL/);
  });
});
