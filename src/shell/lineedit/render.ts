// Drawing the prompt and the line on a terminal of a given width, wrapping as the
// terminal does (a wide character that does not fit moves whole to the next row).
// Only relative cursor motion is used, so it works wherever the prompt started.
import { charWidth } from './width.js';

export interface Layout {
  /** Rows the prompt and text take. */
  rows: number;
  /** Row and column of the cursor, relative to the prompt's first row. */
  cursorRow: number;
  cursorCol: number;
  endRow: number;
  endCol: number;
}

/** Where each character lands; the cursor sits before `text[cursor]`. */
export function layout(prompt: string, text: string, cursor: number, cols: number): Layout {
  let row = 0;
  let col = 0;
  let cursorRow = 0;
  let cursorCol = 0;
  const place = (ch: string): void => {
    const w = charWidth(ch.codePointAt(0)!);
    if (col + w > cols) {
      row++;
      col = 0;
    }
    col += w;
  };
  for (const ch of stripEscapes(prompt)) place(ch);
  const chars = Array.from(text);
  chars.forEach((ch, i) => {
    if (i === cursor) [cursorRow, cursorCol] = wrapPos(row, col, cols);
    place(ch);
  });
  if (cursor >= chars.length) [cursorRow, cursorCol] = wrapPos(row, col, cols);
  const [endRow, endCol] = wrapPos(row, col, cols);
  return { rows: endRow + 1, cursorRow, cursorCol, endRow, endCol };
}

/** A cursor at the right margin is shown at the start of the next row. */
function wrapPos(row: number, col: number, cols: number): [number, number] {
  return col >= cols ? [row + 1, 0] : [row, col];
}

export function stripEscapes(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

/**
 * The bytes that erase the previous drawing (whose cursor was `fromRow` rows below the
 * prompt's first row) and draw prompt + text with the cursor in place.
 */
export function redraw(prompt: string, text: string, cursor: number, cols: number, fromRow: number): { out: string; layout: Layout } {
  const l = layout(prompt, text, cursor, cols);
  let out = '';
  if (fromRow > 0) out += `\x1b[${fromRow}A`;
  out += '\r\x1b[J';
  out += prompt + text;
  // At the right margin the terminal waits to wrap; make the wrap happen so relative
  // motion from here is predictable.
  if (l.endCol === 0 && l.endRow > 0) out += ' \r';
  const up = l.endRow - l.cursorRow;
  if (up > 0) out += `\x1b[${up}A`;
  out += '\r';
  if (l.cursorCol > 0) out += `\x1b[${l.cursorCol}C`;
  return { out, layout: l };
}

/** Candidates in columns, as shells list completions. */
export function columns(items: readonly string[], cols: number): string[] {
  if (items.length === 0) return [];
  const width = Math.max(...items.map((s) => Array.from(s).reduce((w, c) => w + charWidth(c.codePointAt(0)!), 0))) + 2;
  const perRow = Math.max(1, Math.floor(cols / width));
  const rows = Math.ceil(items.length / perRow);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < perRow; c++) {
      const item = items[c * rows + r];
      if (item === undefined) continue;
      const w = Array.from(item).reduce((n, ch) => n + charWidth(ch.codePointAt(0)!), 0);
      line += item + ' '.repeat(Math.max(0, width - w));
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
