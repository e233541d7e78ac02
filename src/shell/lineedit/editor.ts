// The line being edited: text, cursor, history navigation, kill buffer and ^R search.
// Pure state: keys in, an action out; drawing is render.ts's job.
import type { Key, KeyName } from './keys.js';

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
    if (key.name === 'tab') {
      this.lastWasTab = !wasTab;
      return 'complete';
    }
    return LineEditor.COMMANDS[key.name]?.(this) ?? 'none';
  }

  /** What each editing key does (readline's emacs bindings); keys not listed do nothing. */
  private static readonly COMMANDS: Partial<Record<KeyName, (ed: LineEditor) => EditAction>> = {
    enter: () => 'submit',
    'ctrl-a': (ed) => ed.moveTo(0),
    home: (ed) => ed.moveTo(0),
    'ctrl-e': (ed) => ed.moveTo(ed.buf.length),
    end: (ed) => ed.moveTo(ed.buf.length),
    'ctrl-b': (ed) => ed.moveBy(-1),
    left: (ed) => ed.moveBy(-1),
    'ctrl-f': (ed) => ed.moveBy(1),
    right: (ed) => ed.moveBy(1),
    'meta-b': (ed) => ed.moveTo(ed.wordStart(ed.cursor)),
    'ctrl-left': (ed) => ed.moveTo(ed.wordStart(ed.cursor)),
    'meta-f': (ed) => ed.moveTo(ed.wordEnd(ed.cursor)),
    'ctrl-right': (ed) => ed.moveTo(ed.wordEnd(ed.cursor)),
    backspace: (ed) => ed.deleteBackward(),
    delete: (ed) => ed.deleteForward(),
    'ctrl-d': (ed) => ed.deleteOrEof(),
    'ctrl-k': (ed) => ed.kill(ed.cursor, ed.buf.length),
    'ctrl-u': (ed) => ed.kill(0, ed.cursor),
    'ctrl-w': (ed) => ed.kill(ed.whitespaceStart(ed.cursor), ed.cursor),
    'meta-backspace': (ed) => ed.kill(ed.wordStart(ed.cursor), ed.cursor),
    'meta-d': (ed) => ed.kill(ed.cursor, ed.wordEnd(ed.cursor)),
    'ctrl-y': (ed) => ed.yank(),
    'ctrl-t': (ed) => ed.transpose(),
    'ctrl-p': (ed) => ed.historyMove(-1),
    up: (ed) => ed.historyMove(-1),
    'ctrl-n': (ed) => ed.historyMove(1),
    down: (ed) => ed.historyMove(1),
    'ctrl-r': (ed) => ed.startSearch(),
    'ctrl-c': () => 'interrupt',
    'ctrl-l': () => 'clear-screen',
  };

  private moveTo(cursor: number): EditAction {
    this.cursor = cursor;
    return 'redraw';
  }

  /** One character left or right; nothing at either end. */
  private moveBy(delta: -1 | 1): EditAction {
    const next = this.cursor + delta;
    if (next < 0 || next > this.buf.length) return 'none';
    return this.moveTo(next);
  }

  private deleteBackward(): EditAction {
    if (this.cursor === 0) return 'bell';
    this.buf.splice(--this.cursor, 1);
    return 'redraw';
  }

  private deleteForward(): EditAction {
    if (this.cursor === this.buf.length) return 'none';
    this.buf.splice(this.cursor, 1);
    return 'redraw';
  }

  /** ^D: end of input on an empty line, else delete forward (and redraw even at the end). */
  private deleteOrEof(): EditAction {
    if (this.buf.length === 0) return 'eof';
    this.deleteForward();
    return 'redraw';
  }

  /** Cuts buf[start..end) into the kill buffer; the cursor goes to start. */
  private kill(start: number, end: number): EditAction {
    this.killed = this.buf.splice(start, end - start).join('');
    this.cursor = start;
    return 'redraw';
  }

  /** ^W kills back to the previous whitespace (readline's unix-word-rubout). */
  private whitespaceStart(from: number): number {
    const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
    let start = from;
    while (start > 0 && isSpace(this.buf[start - 1])) start--;
    while (start > 0 && !isSpace(this.buf[start - 1])) start--;
    return start;
  }

  private yank(): EditAction {
    if (!this.killed) return 'none';
    this.insert(this.killed);
    return 'redraw';
  }

  private transpose(): EditAction {
    if (this.cursor === 0 || this.buf.length < 2) return 'bell';
    const at = this.cursor === this.buf.length ? this.cursor - 1 : this.cursor;
    [this.buf[at - 1], this.buf[at]] = [this.buf[at]!, this.buf[at - 1]!];
    this.cursor = at + 1;
    return 'redraw';
  }

  private startSearch(): EditAction {
    this.search = { query: '', match: -1, failed: false };
    this.draft = this.text;
    return 'redraw';
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
