// `netstat -r` and `netstat -i`: net-tools' kernel routing and interface tables
// (netstat(8); lib/inet_gr.c rprint_fib, lib/interface.c ife_print_short). Pure
// renderers over parsed /proc/net/route and /proc/net/dev.
import type { InterfaceCounters, Route4 } from '../../proc/index.js';
import { RTF_GATEWAY, RTF_HOST, RTF_REJECT, RTF_UP, IFF } from '../../proc/index.js';

function prefixToMask(bits: number): string {
  const n = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

// include/uapi/linux/route.h: RTF_DYNAMIC 0x10, RTF_MODIFIED 0x20, RTF_REINSTATE 0x08.
function routeFlags(flags: number): string {
  let out = '';
  if (flags & RTF_UP) out += 'U';
  if (flags & RTF_GATEWAY) out += 'G';
  if (flags & RTF_REJECT) out += '!';
  if (flags & RTF_HOST) out += 'H';
  if (flags & 0x08) out += 'R';
  if (flags & 0x10) out += 'D';
  if (flags & 0x20) out += 'M';
  return out;
}

export const ROUTE_HEADER = ['Kernel IP routing table', 'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface'];

/** One row per route: `%-15s %-15s %-15s %-5s %5d %-6d %5d %s`; without -n 0.0.0.0 reads `default`. */
export function routeRow(route: Route4, numeric: boolean): string {
  const destination = !numeric && route.destination === '0.0.0.0' && route.prefixLength === 0 ? 'default' : route.destination;
  return [
    destination.padEnd(15),
    route.gateway.padEnd(15),
    prefixToMask(route.prefixLength).padEnd(15),
    routeFlags(route.flags).padEnd(5),
    String(route.mtu).padStart(5),
    String(route.window).padEnd(6),
    String(route.irtt).padStart(5),
    route.iface,
  ].join(' ');
}

export const INTERFACE_HEADER = ['Kernel Interface table', 'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg'];

/** net-tools' flag letters, in its order. */
export function interfaceFlags(flags: number, running: boolean): string {
  if (flags === 0) return 'no flags';
  let out = '';
  const letters: Array<[number, string]> = [
    [IFF.ALLMULTI, 'A'], [IFF.BROADCAST, 'B'], [IFF.DEBUG, 'D'], [IFF.LOOPBACK, 'L'], [IFF.MULTICAST, 'M'],
    [IFF.DYNAMIC, 'd'], [IFF.PROMISC, 'P'], [IFF.NOTRAILERS, 'N'], [IFF.NOARP, 'O'], [IFF.POINTOPOINT, 'P'],
    [IFF.SLAVE, 's'], [IFF.MASTER, 'm'],
  ];
  for (const [bit, letter] of letters) if (flags & bit) out += letter;
  if (running) out += 'R';
  if (flags & IFF.UP) out += 'U';
  return out;
}

/** `%-16s %5d %8lu %6lu %6lu %-6lu %8lu %6lu %6lu %6lu %s` */
export function interfaceRow(c: InterfaceCounters, mtu: number, flags: string): string {
  return `${c.iface.padEnd(16)} ${String(mtu).padStart(5)} ${String(c.rxPackets).padStart(8)} ${String(c.rxErrors).padStart(6)} ${String(c.rxDropped).padStart(6)} ${String(c.rxFifo).padEnd(6)} ${String(c.txPackets).padStart(8)} ${String(c.txErrors).padStart(6)} ${String(c.txDropped).padStart(6)} ${String(c.txFifo).padStart(6)} ${flags}`;
}
