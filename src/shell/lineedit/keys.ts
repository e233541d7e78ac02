// Key decoding: bytes from the client terminal → keys. UTF-8 may arrive split across
// packets; escape sequences (ECMA-48 CSI, SS3) are collected until complete.
import { StringDecoder } from 'node:string_decoder';

export type Key =
  | { type: 'text'; text: string }
  | { type: 'key'; name: KeyName };

export type KeyName =
  | 'enter' | 'tab' | 'backspace' | 'delete' | 'left' | 'right' | 'up' | 'down' | 'home' | 'end'
  | 'page-up' | 'page-down' | 'insert' | 'escape'
  | 'ctrl-a' | 'ctrl-b' | 'ctrl-c' | 'ctrl-d' | 'ctrl-e' | 'ctrl-f' | 'ctrl-g' | 'ctrl-k' | 'ctrl-l' | 'ctrl-n'
  | 'ctrl-o' | 'ctrl-p' | 'ctrl-q' | 'ctrl-r' | 'ctrl-s' | 'ctrl-t' | 'ctrl-u' | 'ctrl-v' | 'ctrl-w' | 'ctrl-x'
  | 'ctrl-y' | 'ctrl-z' | 'ctrl-backslash' | 'ctrl-left' | 'ctrl-right'
  | 'meta-b' | 'meta-f' | 'meta-d' | 'meta-backspace' | 'meta-dot' | 'unknown';

const CONTROL: Record<number, KeyName> = {
  0x01: 'ctrl-a', 0x02: 'ctrl-b', 0x03: 'ctrl-c', 0x04: 'ctrl-d', 0x05: 'ctrl-e', 0x06: 'ctrl-f', 0x07: 'ctrl-g',
  0x08: 'backspace', 0x09: 'tab', 0x0a: 'enter', 0x0b: 'ctrl-k', 0x0c: 'ctrl-l', 0x0d: 'enter', 0x0e: 'ctrl-n',
  0x0f: 'ctrl-o', 0x10: 'ctrl-p', 0x11: 'ctrl-q', 0x12: 'ctrl-r', 0x13: 'ctrl-s', 0x14: 'ctrl-t', 0x15: 'ctrl-u',
  0x16: 'ctrl-v', 0x17: 'ctrl-w', 0x18: 'ctrl-x', 0x19: 'ctrl-y', 0x1a: 'ctrl-z', 0x1c: 'ctrl-backslash', 0x7f: 'backspace',
};

const CSI_FINAL: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
const CSI_TILDE: Record<string, KeyName> = { '1': 'home', '2': 'insert', '3': 'delete', '4': 'end', '5': 'page-up', '6': 'page-down', '7': 'home', '8': 'end' };
const META: Record<string, KeyName> = { b: 'meta-b', f: 'meta-f', d: 'meta-d', '\x7f': 'meta-backspace', '\b': 'meta-backspace', '.': 'meta-dot' };

export class KeyDecoder {
  private readonly utf8 = new StringDecoder('utf8');
  private pending = '';

  /** Decodes a chunk; an incomplete escape sequence waits for the next chunk. */
  feed(chunk: Buffer | string): Key[] {
    this.pending += typeof chunk === 'string' ? chunk : this.utf8.write(chunk);
    const keys: Key[] = [];
    let text = '';
    const flushText = (): void => {
      if (text) keys.push({ type: 'text', text });
      text = '';
    };
    let i = 0;
    const s = this.pending;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x1b) {
        const seq = parseEscape(s, i);
        if (seq === 'incomplete') break;
        flushText();
        keys.push({ type: 'key', name: seq.name });
        i = seq.end;
        continue;
      }
      if (c < 0x20 || c === 0x7f) {
        flushText();
        // \r\n from a paste is one Enter.
        if (c === 0x0d && s.charCodeAt(i + 1) === 0x0a) i++;
        keys.push({ type: 'key', name: CONTROL[c] ?? 'unknown' });
        i++;
        continue;
      }
      text += s[i];
      i++;
    }
    flushText();
    this.pending = s.slice(i);
    return keys;
  }

  /** True when an escape sequence is still incomplete. */
  get waiting(): boolean {
    return this.pending.startsWith('\x1b');
  }

  /** An ESC left alone (no more bytes came): the Escape key. */
  flushEscape(): Key[] {
    if (this.pending !== '\x1b') return [];
    this.pending = '';
    return [{ type: 'key', name: 'escape' }];
  }
}

function parseEscape(s: string, i: number): { name: KeyName; end: number } | 'incomplete' {
  const next = s[i + 1];
  if (next === undefined) return 'incomplete';
  if (next === '[' || next === 'O') {
    // CSI: parameters 0x30–0x3f, intermediates 0x20–0x2f, final 0x40–0x7e (ECMA-48 5.4).
    let j = i + 2;
    while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x3f) j++;
    if (j >= s.length) return 'incomplete';
    const final = s[j]!;
    const params = s.slice(i + 2, j);
    let name: KeyName = 'unknown';
    if (final === '~') name = CSI_TILDE[params.split(';')[0]!] ?? 'unknown';
    else if (CSI_FINAL[final]) {
      name = CSI_FINAL[final]!;
      // ESC [1;5C — ctrl+arrow moves by word.
      if (params.endsWith(';5') || params.endsWith(';3')) {
        if (name === 'right') name = 'ctrl-right';
        if (name === 'left') name = 'ctrl-left';
      }
    }
    return { name, end: j + 1 };
  }
  return { name: META[next] ?? 'unknown', end: i + 2 };
}
