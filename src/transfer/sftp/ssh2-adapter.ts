// A small typed adapter over ssh2's server-side SFTP object (ssh2 1.x,
// lib/protocol/SFTP.js), keeping its callback style and private fields in this file.
// It adds what ssh2 lacks for a complete server, by wrapping (never by editing
// node_modules):
//   1. Extensions in VERSION. ssh2 answers INIT with a fixed VERSION packet with no
//      extension pairs, and OpenSSH clients only use extensions the server announces
//      (posix-rename, statvfs, hardlink, fsync, limits). INIT can arrive in the same
//      read as the subsystem request, before any code of ours sees the channel, so
//      the hook sits on ssh2's SFTP class: installed when this module loads, it
//      answers INIT of server-side instances itself; ssh2 never sees it.
//   2. EXTENDED_REPLY packets (statvfs, limits), which ssh2 has no method for.
//   3. Inbound backpressure: ssh2 replenishes the channel window as soon as data is
//      parsed. push() returning false makes ssh2 hold the window (server.js sets
//      _waitChanDrain); resumeInput() grants it again once queued writes drained.
import { EventEmitter } from 'node:events';
import sftpModule from 'ssh2/lib/protocol/SFTP.js';
import { DATA_HEADER, EXTENSIONS, encodeVersion, parseInit } from './wire.js';

/** ssh2's MAX_WINDOW (lib/Channel.js): the window it keeps topping up to. */
const SSH2_MAX_WINDOW = 2 * 1024 * 1024;
const SSH2_WINDOW_THRESHOLD = SSH2_MAX_WINDOW / 2;

/** ATTRS, the same layout in requests and replies (draft-ietf-secsh-filexfer-02 §5). */
export interface SftpAttrs {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: number;
  mtime?: number;
}

export interface NameOut {
  filename: string;
  longname: string;
  attrs: SftpAttrs;
}

/** The parts of ssh2's SFTP server object this adapter touches. */
interface Ssh2Sftp extends EventEmitter {
  push(data: Buffer | null): unknown;
  status(reqid: number, code: number, message?: string): void;
  handle(reqid: number, handle: Buffer): void;
  data(reqid: number, data: Buffer): void;
  /** Added by scripts/ssh2-patches.mjs: queues a complete SFTP packet in order. */
  sendPreformatted?(packet: Buffer): void;
  name(reqid: number, names: NameOut[]): void;
  attrs(reqid: number, attrs: SftpAttrs): void;
  end(): void;
  // ssh2 1.x private state, read or set here only:
  _version: number;
  _extensions: Record<string, string>;
  _buffer: Buffer[];
  _waitChanDrain?: boolean;
  outgoing: { id: number; window: number; packetSize: number; state: string };
  incoming: { window: number; state: string };
  _protocol: {
    channelData(id: number, data: Buffer): void;
    channelWindowAdjust(id: number, amount: number): void;
    exitStatus(id: number, status: number): void;
  };
}

export function isSsh2Sftp(value: unknown): value is Ssh2Sftp {
  const v = value as Partial<Ssh2Sftp> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.push === 'function' && typeof v.status === 'function' &&
    typeof v.data === 'function' && typeof v.on === 'function' && typeof v.outgoing === 'object'
  );
}

export interface AdapterOptions {
  /** Called after each inbound chunk; false holds the SSH window (inbound backpressure). */
  acceptMore(): boolean;
}

export class SftpWire {
  private readonly rawQueue: Buffer[] = [];
  private rawTimer: NodeJS.Timeout | undefined;
  private inputHeld = false;

  constructor(
    readonly raw: Ssh2Sftp,
    private readonly options: AdapterOptions,
  ) {
    // The prototype's push (with the VERSION hook); ours adds backpressure.
    const originalPush = raw.push.bind(raw);
    raw.push = (data: Buffer | null): unknown => {
      const result = originalPush(data);
      if (data !== null && !this.options.acceptMore()) {
        this.inputHeld = true;
        return false;
      }
      return result;
    };
  }

  /** Grants the SSH window again after push() held it (mirrors ssh2's Channel _read). */
  resumeInput(): void {
    if (!this.inputHeld) return;
    this.inputHeld = false;
    const raw = this.raw;
    if (!raw._waitChanDrain) return;
    raw._waitChanDrain = false;
    if (raw.outgoing.state === 'closed' || raw.incoming.window > SSH2_WINDOW_THRESHOLD) return;
    const amount = SSH2_MAX_WINDOW - raw.incoming.window;
    raw.incoming.window += amount;
    raw._protocol.channelWindowAdjust(raw.outgoing.id, amount);
  }

  /** Packets of ours (small: EXTENDED_REPLY) in order with ssh2's queue. */
  sendRaw(packet: Buffer): void {
    this.rawQueue.push(packet);
    this.flushRaw();
  }

  private flushRaw(): void {
    const raw = this.raw;
    while (this.rawQueue.length) {
      if (raw.outgoing.state !== 'open') {
        this.rawQueue.length = 0;
        return;
      }
      const next = this.rawQueue[0]!;
      // Only when ssh2 has nothing queued and the window takes the whole packet, so
      // the byte stream stays in order; otherwise retry shortly (rare: tiny packets).
      if (raw._buffer.length > 0 || raw.outgoing.window < next.length || next.length > raw.outgoing.packetSize) {
        this.rawTimer ??= setTimeout(() => {
          this.rawTimer = undefined;
          this.flushRaw();
        }, 2);
        return;
      }
      this.rawQueue.shift();
      raw.outgoing.window -= next.length;
      raw._protocol.channelData(raw.outgoing.id, next);
    }
  }

  /**
   * DATA reply: a complete DATA packet (wire.ts finishDataPacket) into ssh2's ordered
   * output queue. The bundled ssh2 has sendPreformatted (scripts/ssh2-patches.mjs);
   * unbundled, the packet's data goes through data(), which copies it.
   */
  dataPacket(packet: Buffer): void {
    if (this.raw.sendPreformatted) this.raw.sendPreformatted(packet);
    else this.raw.data(packet.readUInt32BE(5), packet.subarray(DATA_HEADER));
  }

  /** Bytes of responses ssh2 holds because the client's window is full. */
  outboundQueued(): number {
    let total = 0;
    for (const b of this.raw._buffer) total += b.length;
    return total;
  }

  isOpen(): boolean {
    return this.raw.outgoing.state === 'open';
  }

  /**
   * Ends the channel as sshd does when sftp-server exits: exit-status, then close.
   * Without exit-status OpenSSH's scp (SFTP mode) reports failure (status -1).
   */
  close(status = 0): void {
    if (this.rawTimer) clearTimeout(this.rawTimer);
    if (this.raw.outgoing.state === 'open') this.raw._protocol.exitStatus(this.raw.outgoing.id, status);
    this.raw.end();
  }
}

// --- the VERSION hook ---------------------------------------------------------

const HOOKED = Symbol.for('breakglass.sftp-version-hook');
const PENDING = Symbol('breakglass.sftp-init-pending');

type HookedSftp = Ssh2Sftp & { server?: boolean; [PENDING]?: Buffer };

/**
 * Answers a server-side INIT with VERSION 3 plus our extensions. Collects bytes until
 * the first packet is complete; anything after it goes on to ssh2 as usual.
 */
function pushWithVersionHook(self: HookedSftp, data: Buffer | null, original: (data: Buffer | null) => unknown): unknown {
  if (!self.server || self._version !== -1 || data === null) return original.call(self, data);
  const pending = self[PENDING];
  const buffered = pending ? Buffer.concat([pending, data]) : data;
  if (buffered.length < 4 || buffered.length < 4 + buffered.readUInt32BE(0)) {
    self[PENDING] = buffered;
    return undefined;
  }
  delete self[PENDING];
  const len = buffered.readUInt32BE(0);
  const init = parseInit(buffered.subarray(4, 4 + len));
  if (!init) return original.call(self, buffered); // ssh2 reports the protocol error
  const version = encodeVersion(3, EXTENSIONS);
  if (self.outgoing.state === 'open' && self.outgoing.window >= version.length && version.length <= self.outgoing.packetSize) {
    self.outgoing.window -= version.length;
    self._protocol.channelData(self.outgoing.id, version);
  } else {
    self._buffer.push(version); // never at the start of a channel; kept for safety
  }
  self._version = init.version;
  self._extensions = {};
  self.emit('ready');
  const rest = buffered.subarray(4 + len);
  return rest.length ? original.call(self, rest) : undefined;
}

/** Patches ssh2's SFTP class once per process (idempotent). */
export function installVersionHook(): void {
  const proto = sftpModule.SFTP.prototype as { push(data: Buffer | null): unknown; [HOOKED]?: boolean };
  if (proto[HOOKED]) return;
  const original = proto.push;
  proto.push = function push(this: HookedSftp, data: Buffer | null): unknown {
    return pushWithVersionHook(this, data, original);
  };
  proto[HOOKED] = true;
}

installVersionHook();
