// Which direct-tcpip (ssh -L / ssh -W, RFC 4254 §7.2) targets are allowed: the server's
// `--forward` mode is the ceiling, a key's no-port-forwarding / permitopen= narrow it
// further (sshd(8) AUTHORIZED_KEYS). The mode is judged on the resolved address that
// is actually connected to, so a name cannot smuggle in a forbidden address.
import { isIP } from 'node:net';
import { addressInCidr, isPrivateAddress } from '../common/index.js';
import type { KeyOptions, PermitOpen } from './authorized-keys.js';
import type { ForwardMode } from './config.js';

export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^::ffff:/i, '');
  if (isIP(bare) === 4) return addressInCidr(bare, '127.0.0.0/8');
  return isIP(address) === 6 && addressInCidr(address, '::1/128');
}

/** May the server connect to this (resolved) address under the mode? */
export function modeAllowsAddress(mode: ForwardMode, address: string): boolean {
  if (mode === 'loopback') return isLoopbackAddress(address);
  if (mode === 'private-network') return isPrivateAddress(address);
  return false;
}

/** permitopen= matches the host exactly as the client wrote it (no name lookup). */
export function permitOpenAllows(list: readonly PermitOpen[], host: string, port: number): boolean {
  if (list.length === 0) return true;
  return list.some((p) => (p.host === '*' || p.host.toLowerCase() === host.toLowerCase()) && (p.port === undefined || p.port === port));
}

/** The checks that need no lookup; returns the refusal reason, or undefined to go on. */
export function precheckForward(mode: ForwardMode, options: KeyOptions, host: string, port: number): string | undefined {
  if (mode === 'off') return 'forwarding is off (breakglassd --forward off)';
  if (!options.portForwarding) return 'the key has no-port-forwarding';
  if (!permitOpenAllows(options.permitOpen, host, port)) return `${host}:${port} is not in the key's permitopen=`;
  if (port < 1 || port > 65535) return `bad port ${port}`;
  return undefined;
}
