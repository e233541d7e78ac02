// Command history, kept in $HOME/.breakglass_history (one line per entry, newest last,
// at most MAX_HISTORY entries).
import { dirname, join } from 'node:path';
import { nodeFileSystem } from '../files/index.js';
import type { FileSystem } from '../files/index.js';

export const MAX_HISTORY = 1000;
export const HISTORY_FILE = '.breakglass_history';

/** Adds an entry in memory: blank lines and repeats of the previous line are skipped. */
export function addEntry(entries: string[], line: string, max = MAX_HISTORY): boolean {
  if (!line.trim() || line.includes('\n') || entries.at(-1) === line) return false;
  entries.push(line);
  if (entries.length > max) entries.splice(0, entries.length - max);
  return true;
}

export class History {
  readonly entries: string[] = [];
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string | undefined,
    private readonly max = MAX_HISTORY,
    private readonly fs: FileSystem = nodeFileSystem,
  ) {}

  static inHome(home: string | undefined, fs: FileSystem = nodeFileSystem): History {
    return new History(home ? join(home, HISTORY_FILE) : undefined, MAX_HISTORY, fs);
  }

  async load(): Promise<void> {
    if (!this.path) return;
    try {
      const text = await this.fs.readFile(this.path, 'utf8');
      for (const line of text.split('\n')) addEntry(this.entries, line, this.max);
    } catch {
      // No history yet.
    }
  }

  add(line: string): void {
    if (addEntry(this.entries, line, this.max)) this.save();
  }

  clear(): void {
    this.entries.length = 0;
    this.save();
  }

  /** Writes the file (bounded, so rewriting it whole is cheap); errors are not fatal. */
  save(): void {
    const path = this.path;
    if (!path) return;
    const text = this.entries.length ? `${this.entries.join('\n')}\n` : '';
    this.saving = this.saving
      .then(async () => {
        await this.fs.mkdir(dirname(path), { recursive: true });
        await this.fs.writeFile(path, text, { mode: 0o600 });
      })
      .catch(() => undefined);
  }

  flushed(): Promise<void> {
    return this.saving;
  }
}
