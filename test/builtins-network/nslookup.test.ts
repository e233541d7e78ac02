// nslookup / host: the system resolver for localhost (answered by /etc/hosts, no
// traffic), and a tiny DNS responder on 127.0.0.1 for the SERVER form.
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltin } from '../helpers/builtin-ctx.js';
import { host, nslookup, resolverHint, reverseName } from '../../src/shell/builtins/nslookup.js';

/** Answers A queries for device.test with 10.231.0.2, AAAA with fd00::2, PTR for 10.231.0.2; else NXDOMAIN (RFC 1035 §4.1). */
function answer(query: Buffer): Buffer {
  let offset = 12;
  const labels: string[] = [];
  while (query[offset]! !== 0) {
    const len = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + len).toString());
    offset += len + 1;
  }
  const name = labels.join('.').toLowerCase();
  const qtype = query.readUInt16BE(offset + 1);
  const question = query.subarray(12, offset + 5);
  let rdata: Buffer | undefined;
  if (name === 'device.test' && qtype === 1) rdata = Buffer.from([10, 231, 0, 2]);
  if (name === 'device.test' && qtype === 28) rdata = Buffer.from('fd000000000000000000000000000002', 'hex');
  if (name === '2.0.231.10.in-addr.arpa' && qtype === 12) rdata = Buffer.from([6, ...Buffer.from('device'), 4, ...Buffer.from('test'), 0]);
  const known = name === 'device.test' || name === '2.0.231.10.in-addr.arpa';
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // response, RD+RA, rcode 0 or 3 (NXDOMAIN)
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rdata ? 1 : 0, 6);
  if (!rdata) return Buffer.concat([header, question]);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
  rr.writeUInt16BE(qtype, 2);
  rr.writeUInt16BE(1, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([header, question, rr, rdata]);
}

describe('nslookup and host', () => {
  let dns: Socket;
  let server = '';
  beforeAll(async () => {
    dns = createSocket('udp4', );
    dns.on('message', (msg, rinfo) => dns.send(answer(msg), rinfo.port, rinfo.address));
    await new Promise<void>((r) => dns.bind(0, '127.0.0.1', r));
    server = `127.0.0.1:${dns.address().port}`;
  });
  afterAll(() => dns.close());

  it('nslookup localhost answers 127.0.0.1 in the busybox layout', async () => {
    const { code, stdout } = await runBuiltin(nslookup, ['localhost']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Server:\t\t\S+\nAddress:\t\S+:53\n\nName:\tlocalhost\n(Address: \S+\n)+\n$/);
    expect(stdout).toContain('Address: 127.0.0.1\n');
  });

  it('host localhost / host 127.0.0.1 in the bind layout', async () => {
    expect((await runBuiltin(host, ['localhost'])).stdout).toContain('localhost has address 127.0.0.1\n');
    const rev = await runBuiltin(host, ['127.0.0.1']);
    expect(rev.code).toBe(0);
    expect(rev.stdout).toBe('1.0.0.127.in-addr.arpa domain name pointer localhost.\n');
    const ns = await runBuiltin(nslookup, ['127.0.0.1']);
    expect(ns.stdout).toContain('1.0.0.127.in-addr.arpa\tname = localhost\n');
  });

  it('asks the given SERVER directly: A and AAAA, reverse, NXDOMAIN', async () => {
    const a = await runBuiltin(nslookup, ['device.test', server]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(`Server:\t\t127.0.0.1\nAddress:\t${server}\n\nNon-authoritative answer:\nName:\tdevice.test\nAddress: 10.231.0.2\nAddress: fd00::2\n\n`);
    const h = await runBuiltin(host, ['device.test', server]);
    expect(h.stdout).toBe('device.test has address 10.231.0.2\ndevice.test has IPv6 address fd00::2\n');
    const ptr = await runBuiltin(host, ['10.231.0.2', server]);
    expect(ptr.stdout).toBe('2.0.231.10.in-addr.arpa domain name pointer device.test.\n');
    const missing = await runBuiltin(nslookup, ['nothing.test', server]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("** server can't find nothing.test: NXDOMAIN\n");
    const hostMissing = await runBuiltin(host, ['nothing.test', server]);
    expect(hostMissing).toMatchObject({ code: 1, stderr: 'Host nothing.test not found: 3(NXDOMAIN)\n' });
  });

  it('bad arguments: exit 2', async () => {
    expect((await runBuiltin(nslookup, [])).code).toBe(2);
    const bad = await runBuiltin(nslookup, ['x', 'not-an-ip']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SERVER must be an IP address');
  });

  it('says when the device has no /etc/resolv.conf or /etc/hosts', async () => {
    const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const root = await mkdtemp(`${tmpdir()}/bg-dns-`);
    try {
      expect(await resolverHint(undefined, root)).toBe('note: this device has no /etc/resolv.conf and no /etc/hosts; name a DNS server: nslookup NAME SERVER\n');
      await mkdir(`${root}/etc`);
      await writeFile(`${root}/etc/hosts`, '127.0.0.1 localhost\n');
      expect(await resolverHint(undefined, root)).toBe('note: this device has no /etc/resolv.conf; name a DNS server: nslookup NAME SERVER\n');
      expect(await resolverHint('127.0.0.1', root)).toBe('');
      await writeFile(`${root}/etc/resolv.conf`, 'nameserver 127.0.0.1\n');
      expect(await resolverHint(undefined, root)).toBe('');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reverseName', () => {
    expect(reverseName('10.231.0.2')).toBe('2.0.231.10.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });
});
