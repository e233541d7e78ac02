// Column layout of `ls` on a terminal: the most columns that fit the width, filled
// top to bottom then left to right, two spaces between columns (as GNU ls and busybox).

export interface Cell {
  /** What is printed (may include colour escapes). */
  text: string;
  /** Visible width. */
  width: number;
}

const GAP = 2;

/** Column widths for `cols` columns, or undefined when they do not fit in `lineWidth`. */
function fit(cells: Cell[], cols: number, lineWidth: number): number[] | undefined {
  const rows = Math.ceil(cells.length / cols);
  const used = Math.ceil(cells.length / rows);
  const widths: number[] = [];
  for (let c = 0; c < used; c++) {
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, cells[c * rows + r]?.width ?? 0);
    widths.push(max);
  }
  const total = widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  return total < lineWidth || widths.length === 1 ? widths : undefined;
}

/** Lines of a column layout (no trailing spaces). */
export function layoutColumns(cells: Cell[], lineWidth: number): string[] {
  if (cells.length === 0) return [];
  let widths: number[] = [cells.reduce((m, c) => Math.max(m, c.width), 0)];
  for (let cols = Math.min(cells.length, Math.max(1, Math.floor(lineWidth / (1 + GAP)))); cols > 1; cols--) {
    const w = fit(cells, cols, lineWidth);
    if (w) {
      widths = w;
      break;
    }
  }
  const rows = Math.ceil(cells.length / widths.length);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < widths.length; c++) {
      const cell = cells[c * rows + r];
      if (!cell) break;
      const next = cells[(c + 1) * rows + r];
      line += cell.text + (next ? ' '.repeat(widths[c]! - cell.width + GAP) : '');
    }
    lines.push(line);
  }
  return lines;
}
