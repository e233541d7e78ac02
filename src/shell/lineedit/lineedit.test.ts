import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { commonPrefix, complete, currentWord, escapeWord } from './complete.js';
import type { CompletionSources } from './complete.js';
import { LineEditor } from './editor.js';
import { addEntry, History } from './history.js';
import { listDirectory, programsOnPath } from './sources.js';
import { KeyDecoder } from './keys.js';
import { columns, layout, redraw } from './render.js';
import { charWidth, stringWidth } from './width.js';

/** Types a byte string into a fresh editor; returns the editor and the last action. */
function type(input: string, history: string[] = []): { editor: LineEditor; actions: string[] } {
  const editor = new LineEditor(history);
  const actions = new KeyDecoder().feed(Buffer.from(input)).map((k) => editor.handle(k));
  return { editor, actions };
}

describe('KeyDecoder', () => {
  it('decodes text, controls and escape sequences', () => {
    const keys = new KeyDecoder().feed(Buffer.from('ab\x01\x1b[A\x1b[3~\x1bOH\x1b[1;5C\x1bb\x7f\r'));
    expect(keys).toEqual([
      { type: 'text', text: 'ab' },
      { type: 'key', name: 'ctrl-a' },
      { type: 'key', name: 'up' },
      { type: 'key', name: 'delete' },
      { type: 'key', name: 'home' },
      { type: 'key', name: 'ctrl-right' },
      { type: 'key', name: 'meta-b' },
      { type: 'key', name: 'backspace' },
      { type: 'key', name: 'enter' },
    ]);
  });
  it('waits for the rest of a split UTF-8 character or escape sequence', () => {
    const d = new KeyDecoder();
    const euro = Buffer.from('€');
    expect(d.feed(euro.subarray(0, 1))).toEqual([]);
    expect(d.feed(Buffer.concat([euro.subarray(1), Buffer.from('\x1b[')]))).toEqual([{ type: 'text', text: '€' }]);
    expect(d.feed(Buffer.from('D'))).toEqual([{ type: 'key', name: 'left' }]);
  });
  it('treats \\r\\n as one Enter', () => {
    expect(new KeyDecoder().feed('x\r\n')).toEqual([{ type: 'text', text: 'x' }, { type: 'key', name: 'enter' }]);
  });
});

describe('LineEditor', () => {
  it.each([
    ['hello', 'hello', 5],
    ['hello\x01X', 'Xhello', 1],
    ['hello\x01\x05!', 'hello!', 6],
    ['hello\x02\x02\x7f', 'helo', 2],
    ['hello\x1b[D\x1b[D\x1b[3~', 'helo', 3],
    ['hello world\x17', 'hello ', 6],
    ['hello world\x01\x0b', '', 0],
    ['hello world\x1b[D\x1b[D\x15', 'ld', 0],
    ['one two\x1bb\x1bb\x1bf', 'one two', 3],
    ['ab\x14', 'ba', 2],
    ['abc\x01\x04', 'bc', 0],
    ['hello\x17\x19\x19', 'hellohello', 10],
    ['日本語\x02X', '日本X語', 3],
    ['a\x1b[Hb\x1b[Fc', 'bac', 3],
  ])('%j → %j', (input, text, cursor) => {
    const { editor } = type(input);
    expect(editor.text).toBe(text);
    expect(editor.cursor).toBe(cursor);
  });

  it('Enter submits, ^D on an empty line is EOF, ^C interrupts, ^L clears', () => {
    expect(type('ls\r').actions.at(-1)).toBe('submit');
    expect(type('\x04').actions).toEqual(['eof']);
    expect(type('x\x03').actions.at(-1)).toBe('interrupt');
    expect(type('\x0c').actions).toEqual(['clear-screen']);
  });

  it('walks history with up/down and keeps the draft', () => {
    const h = ['first', 'second'];
    expect(type('dr\x1b[A', h).editor.text).toBe('second');
    expect(type('dr\x1b[A\x1b[A', h).editor.text).toBe('first');
    expect(type('dr\x1b[A\x1b[A\x1b[A', h).actions.at(-1)).toBe('bell');
    expect(type('dr\x1b[A\x1b[B', h).editor.text).toBe('dr');
    expect(type('\x10\x10\x0e', h).editor.text).toBe('second');
  });

  it('^R searches history backwards; ^R again finds older; Enter runs the match', () => {
    const h = ['ls /tmp', 'echo one', 'cat /etc/hosts', 'echo two'];
    const s = type('\x12ech', h);
    expect(s.editor.searchLine()).toEqual({ prompt: "(reverse-i-search)'ech': ", text: 'echo two' });
    const older = type('\x12ech\x12', h);
    expect(older.editor.searchLine().text).toBe('echo one');
    const run = type('\x12ech\x12\r', h);
    expect(run.actions.at(-1)).toBe('submit');
    expect(run.editor.text).toBe('echo one');
    const fail = type('\x12zzz', h);
    expect(fail.editor.searchLine().prompt).toBe("(failed reverse-i-search)'zzz': ");
    const cancel = type('draft\x12ech\x07', h);
    expect([cancel.editor.text, cancel.editor.search]).toEqual(['draft', undefined]);
    const edit = type('\x12cat\x05X', h);
    expect(edit.editor.text).toBe('cat /etc/hostsX');
  });

  it('Tab asks for completion and notices a double tab', () => {
    const editor = new LineEditor([]);
    expect(editor.handle({ type: 'key', name: 'tab' })).toBe('complete');
    expect(editor.lastWasTab).toBe(true);
    editor.handle({ type: 'key', name: 'tab' });
    expect(editor.lastWasTab).toBe(false);
  });
});

describe('width', () => {
  it('counts wide and zero-width characters', () => {
    expect([charWidth(0x41), charWidth(0x65e5), charWidth(0x1f600), charWidth(0x301), charWidth(0x07)]).toEqual([1, 2, 2, 0, 0]);
    expect(stringWidth('a日本e\u0301')).toBe(6);
  });
});

describe('render', () => {
  it('lays out prompt and text with wrapping', () => {
    expect(layout('p# ', 'abcdef', 6, 5)).toEqual({ rows: 2, cursorRow: 1, cursorCol: 4, endRow: 1, endCol: 4 });
    expect(layout('p# ', 'abcdefg', 7, 5)).toEqual({ rows: 3, cursorRow: 2, cursorCol: 0, endRow: 2, endCol: 0 });
    expect(layout('p# ', 'ab', 0, 5)).toMatchObject({ cursorRow: 0, cursorCol: 3 });
    // Exactly full: the cursor is shown at the start of the next row.
    expect(layout('p# ', 'ab', 2, 5)).toMatchObject({ rows: 2, cursorRow: 1, cursorCol: 0 });
    // A wide character that does not fit moves to the next row.
    expect(layout('p# ', 'a日', 2, 5)).toMatchObject({ endRow: 1, endCol: 2 });
  });
  it('redraw erases from the prompt start and places the cursor', () => {
    const { out } = redraw('h:/# ', 'ls -l', 2, 80, 0);
    expect(out).toBe('\r\x1b[Jh:/# ls -l\r\x1b[7C');
    const wrapped = redraw('h:/# ', 'abcdefgh', 0, 8, 1);
    expect(wrapped.out).toBe('\x1b[1A\r\x1b[Jh:/# abcdefgh\x1b[1A\r\x1b[5C');
  });
  it('lists candidates in columns', () => {
    expect(columns(['a', 'bb', 'ccc', 'd'], 12)).toEqual(['a    ccc', 'bb   d']);
  });
});

describe('completion', () => {
  const sources: CompletionSources = {
    home: '/home/u',
    commands: (p) => ['echo', 'env', 'exit', 'ls', 'lsof'].filter((n) => n.startsWith(p)),
    list: (dir) =>
      (({
        '.': [{ name: 'file one.txt', dir: false }, { name: 'folder', dir: true }, { name: '.git', dir: true }],
        '/etc/': [{ name: 'hosts', dir: false }, { name: 'hostname', dir: false }, { name: 'passwd', dir: false }],
        '/home/u/': [{ name: 'notes', dir: false }],
      }) as Record<string, Array<{ name: string; dir: boolean }>>)[dir] ?? [],
  };
  it.each([
    ['e', ['echo', 'env', 'exit'], 'e'],
    ['ls', ['ls', 'lsof'], 'ls'],
    ['cat /etc/ho', ['/etc/hostname', '/etc/hosts'], '/etc/host'],
    ['cat f', ['file one.txt', 'folder/'], 'f'],
    ['cat fo', ['folder/'], 'folder/'],
    ['cat .g', ['.git/'], '.git/'],
    ['cat ~/n', ['~/notes'], '~/notes'],
    ['ls | l', ['ls', 'lsof'], 'ls'],
    ['X=1 ec', ['echo'], 'echo'],
    ['echo x >/etc/pa', ['/etc/passwd'], '/etc/passwd'],
  ])('%j', (before, candidates, common) => {
    const c = complete(before, sources);
    expect(c.candidates).toEqual(candidates);
    expect(c.common).toBe(common);
  });
  it('finds the word under escapes and quotes', () => {
    expect(currentWord('cat my\\ fi')).toEqual({ start: 4, word: 'my fi', command: false });
    expect(currentWord('cat "my fi')).toMatchObject({ word: 'my fi' });
    expect(escapeWord('file one.txt')).toBe('file\\ one.txt');
    expect(commonPrefix(['abc', 'abd', 'ab'])).toBe('ab');
  });
});

describe('history', () => {
  it('skips blanks and repeats, stays bounded', () => {
    const e: string[] = [];
    for (const l of ['a', 'a', ' ', 'b', 'c']) addEntry(e, l, 2);
    expect(e).toEqual(['b', 'c']);
  });
  it('saves to and loads from the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hist-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const h = History.inHome(join(dir, 'home'));
    h.add('echo one');
    h.add('ls');
    await h.flushed();
    expect(await readFile(join(dir, 'home', '.breakglass_history'), 'utf8')).toBe('echo one\nls\n');
    const again = History.inHome(join(dir, 'home'));
    await again.load();
    expect(again.entries).toEqual(['echo one', 'ls']);
  });
});

describe('completion sources on the file system', () => {
  it('lists executables on PATH and directory entries (links to directories count as directories)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compl-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'runme'), '', { mode: 0o755 });
    await writeFile(join(dir, 'readme'), '', { mode: 0o644 });
    await mkdir(join(dir, 'sub'));
    await symlink(join(dir, 'sub'), join(dir, 'link'));
    expect(await programsOnPath('r', `/nonexistent:${dir}`)).toEqual(['runme']);
    const entries = (await listDirectory('.', dir)).sort((a, b) => a.name.localeCompare(b.name));
    expect(entries).toEqual([
      { name: 'link', dir: true },
      { name: 'readme', dir: false },
      { name: 'runme', dir: false },
      { name: 'sub', dir: true },
    ]);
    expect(await listDirectory('missing', dir)).toEqual([]);
  });
});
