// The line being edited: text, cursor, history navigation, kill buffer and ^R search.
// Pure state: keys in, an action out; drawing is render.ts's job.
import type { Key } from './keys.js';

export type EditAction =
  | 'none'
  /** The line or cursor changed: redraw. */
  | 'redraw'
  | 'submit'
  /** ^D on an empty line. */
  | 'eof'
  /** ^C: abandon the line. */
  | 'interrupt'
  | 'complete'
  | 'clear-screen'
  | 'bell';

export interface SearchState {
  query: string;
  /** Index in history of the match, or -1. */
  match: number;
  failed: boolean;
}

/** Splits text into code points so the cursor never lands inside a surrogate pair. */
function chars(text: string): string[] {
  return Array.from(text);
}

const WORD = /[\p{L}\p{N}_]/u;

export class LineEditor {
  private buf: string[] = [];
  cursor = 0;
  /** Position while walking history; history.length = the line being typed. */
  private histPos: number;
  private draft = '';
  private killed = '';
  search: SearchState | undefined;
  /** Tab pressed twice in a row: list the candidates. */
  lastWasTab = false;

  constructor(private readonly history: readonly string[]) {
    this.histPos = history.length;
  }

  get text(): string {
    return this.buf.join('');
  }

  /** Text before the cursor. */
  get beforeCursor(): string {
    return this.buf.slice(0, this.cursor).join('');
  }

  setText(text: string, cursor?: number): void {
    this.buf = chars(text);
    this.cursor = cursor ?? this.buf.length;
  }

  insert(text: string): void {
    const c = chars(text);
    this.buf.splice(this.cursor, 0, ...c);
    this.cursor += c.length;
  }

  handle(key: Key): EditAction {
    const wasTab = this.lastWasTab;
    this.lastWasTab = false;
    if (this.search) return this.handleSearch(key);
    if (key.type === 'text') {
      this.insert(key.text);
      return 'redraw';
    }
    switch (key.name) {
      case 'enter':
        return 'submit';
      case 'tab':
        this.lastWasTab = wasTab ? false : true;
        return 'complete';
      case 'ctrl-a':
      case 'home':
        this.cursor = 0;
        return 'redraw';
      case 'ctrl-e':
      case 'end':
        this.cursor = this.buf.length;
        return 'redraw';
      case 'ctrl-b':
      case 'left':
        if (this.cursor === 0) return 'none';
        this.cursor--;
        return 'redraw';
      case 'ctrl-f':
      case 'right':
        if (this.cursor === this.buf.length) return 'none';
        this.cursor++;
        return 'redraw';
      case 'meta-b':
      case 'ctrl-left':
        this.cursor = this.wordStart(this.cursor);
        return 'redraw';
      case 'meta-f':
      case 'ctrl-right':
        this.cursor = this.wordEnd(this.cursor);
        return 'redraw';
      case 'backspace':
        if (this.cursor === 0) return 'bell';
        this.buf.splice(--this.cursor, 1);
        return 'redraw';
      case 'delete':
        if (this.cursor === this.buf.length) return 'none';
        this.buf.splice(this.cursor, 1);
        return 'redraw';
      case 'ctrl-d':
        if (this.buf.length === 0) return 'eof';
        if (this.cursor < this.buf.length) this.buf.splice(this.cursor, 1);
        return 'redraw';
      case 'ctrl-k':
        this.killed = this.buf.splice(this.cursor).join('');
        return 'redraw';
      case 'ctrl-u':
        this.killed = this.buf.splice(0, this.cursor).join('');
        this.cursor = 0;
        return 'redraw';
      case 'ctrl-w':
      case 'meta-backspace': {
        // ^W kills back to the previous whitespace (readline's unix-word-rubout).
        let start = this.cursor;
        const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
        if (key.name === 'ctrl-w') {
          while (start > 0 && isSpace(this.buf[start - 1])) start--;
          while (start > 0 && !isSpace(this.buf[start - 1])) start--;
        } else start = this.wordStart(this.cursor);
        this.killed = this.buf.splice(start, this.cursor - start).join('');
        this.cursor = start;
        return 'redraw';
      }
      case 'meta-d': {
        const end = this.wordEnd(this.cursor);
        this.killed = this.buf.splice(this.cursor, end - this.cursor).join('');
        return 'redraw';
      }
      case 'ctrl-y':
        if (!this.killed) return 'none';
        this.insert(this.killed);
        return 'redraw';
      case 'ctrl-t': {
        if (this.cursor === 0 || this.buf.length < 2) return 'bell';
        const at = this.cursor === this.buf.length ? this.cursor - 1 : this.cursor;
        [this.buf[at - 1], this.buf[at]] = [this.buf[at]!, this.buf[at - 1]!];
        this.cursor = at + 1;
        return 'redraw';
      }
      case 'ctrl-p':
      case 'up':
        return this.historyMove(-1);
      case 'ctrl-n':
      case 'down':
        return this.historyMove(1);
      case 'ctrl-r':
        this.search = { query: '', match: -1, failed: false };
        this.draft = this.text;
        return 'redraw';
      case 'ctrl-c':
        return 'interrupt';
      case 'ctrl-l':
        return 'clear-screen';
      default:
        return 'none';
    }
  }

  private historyMove(delta: number): EditAction {
    const next = this.histPos + delta;
    if (next < 0 || next > this.history.length) return 'bell';
    if (this.histPos === this.history.length) this.draft = this.text;
    this.histPos = next;
    this.setText(next === this.history.length ? this.draft : this.history[next]!);
    return 'redraw';
  }

  private handleSearch(key: Key): EditAction {
    const s = this.search!;
    if (key.type === 'text') {
      s.query += key.text;
      this.find(s.match === -1 ? this.history.length - 1 : s.match);
      return 'redraw';
    }
    switch (key.name) {
      case 'ctrl-r':
        this.find(s.match === -1 ? this.history.length - 1 : s.match - 1);
        return 'redraw';
      case 'backspace':
        s.query = chars(s.query).slice(0, -1).join('');
        this.find(this.history.length - 1);
        return 'redraw';
      case 'ctrl-g':
      case 'ctrl-c':
        this.search = undefined;
        this.setText(this.draft);
        return 'redraw';
      case 'enter':
        this.acceptSearch();
        return 'submit';
      default: {
        // Any other key accepts the match and then acts on it (readline does the same).
        this.acceptSearch();
        const action = this.handle(key);
        return action === 'none' ? 'redraw' : action;
      }
    }
  }

  private find(from: number): void {
    const s = this.search!;
    for (let i = Math.min(from, this.history.length - 1); i >= 0; i--) {
      if (s.query && this.history[i]!.includes(s.query)) {
        s.match = i;
        s.failed = false;
        return;
      }
    }
    s.failed = s.query !== '';
  }

  private acceptSearch(): void {
    const s = this.search!;
    this.search = undefined;
    if (s.match >= 0) {
      const line = this.history[s.match]!;
      const at = chars(line.slice(0, Math.max(0, line.indexOf(s.query)))).length;
      this.setText(line, at);
      this.histPos = s.match;
    }
  }

  /** The line shown while searching: `(reverse-i-search)'q': match`. */
  searchLine(): { prompt: string; text: string } {
    const s = this.search!;
    const match = s.match >= 0 ? this.history[s.match]! : '';
    return { prompt: `(${s.failed ? 'failed ' : ''}reverse-i-search)'${s.query}': `, text: match };
  }

  private wordStart(from: number): number {
    let i = from;
    while (i > 0 && !WORD.test(this.buf[i - 1]!)) i--;
    while (i > 0 && WORD.test(this.buf[i - 1]!)) i--;
    return i;
  }

  private wordEnd(from: number): number {
    let i = from;
    while (i < this.buf.length && !WORD.test(this.buf[i]!)) i++;
    while (i < this.buf.length && WORD.test(this.buf[i]!)) i++;
    return i;
  }
}
