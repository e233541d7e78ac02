// The slice of the telnet protocol (RFC 854) that talks to `busybox telnetd -i` over
// pipes: data with IAC (255) doubled, CR sent as CR NUL (RFC 854 "The NVT printer and
// keyboard"), the window size as NAWS subnegotiation (RFC 1073), and a decoder that
// drops the option negotiation telnetd sends and undoubles IAC. Pure: no I/O.

export const IAC = 255;
const SE = 240;
const SB = 250;
const WILL = 251;
const WONT = 252;
const DO = 253;
const DONT = 254;
export const NAWS = 31;

/** Bytes typed by the user → bytes for telnetd (IAC doubled, CR → CR NUL). */
export function encodeInput(data: Buffer): Buffer {
  let extra = 0;
  for (const byte of data) if (byte === IAC || byte === 13) extra++;
  if (extra === 0) return data;
  const out = Buffer.allocUnsafe(data.length + extra);
  let at = 0;
  for (const byte of data) {
    out[at++] = byte;
    if (byte === IAC) out[at++] = IAC;
    else if (byte === 13) out[at++] = 0;
  }
  return out;
}

/** IAC WILL NAWS + IAC SB NAWS cols rows IAC SE (RFC 1073; 255 inside is doubled). */
export function encodeWindowSize(cols: number, rows: number): Buffer {
  const clamp = (n: number): number => Math.max(1, Math.min(0xffff, Math.floor(n)));
  const size: number[] = [];
  for (const value of [clamp(cols), clamp(rows)]) {
    for (const byte of [value >> 8, value & 0xff]) {
      size.push(byte);
      if (byte === IAC) size.push(IAC);
    }
  }
  return Buffer.from([IAC, WILL, NAWS, IAC, SB, NAWS, ...size, IAC, SE]);
}

type DecoderState = 'data' | 'iac' | 'option' | 'sb' | 'sb-iac';

/** telnetd's output → the terminal's bytes; keeps state across chunks. */
export class TelnetDecoder {
  private state: DecoderState = 'data';

  decode(chunk: Buffer): Buffer {
    const out = Buffer.allocUnsafe(chunk.length);
    let at = 0;
    for (const byte of chunk) {
      switch (this.state) {
        case 'data':
          if (byte === IAC) this.state = 'iac';
          else out[at++] = byte;
          break;
        case 'iac':
          if (byte === IAC) {
            out[at++] = IAC;
            this.state = 'data';
          } else if (byte === WILL || byte === WONT || byte === DO || byte === DONT) this.state = 'option';
          else if (byte === SB) this.state = 'sb';
          else this.state = 'data'; // a two-byte command (NOP, GA, …): nothing to show
          break;
        case 'option':
          this.state = 'data';
          break;
        case 'sb':
          if (byte === IAC) this.state = 'sb-iac';
          break;
        case 'sb-iac':
          this.state = byte === SE ? 'data' : 'sb';
          break;
      }
    }
    return out.subarray(0, at);
  }
}
