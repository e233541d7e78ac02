// The authorized_keys file on disk: found at startup (explicit path, or /perm then
// /etc), re-read whenever it changes. Before each authentication the file is stat()ed
// (async, cheap) and re-parsed only when inode, size, mtime or ctime moved, so an edit,
// an atomic replace, or a deletion (which revokes every key) takes effect on the very
// next login without a restart. The startup reads are synchronous: nothing is served
// yet, and a small file read so costs ~0.05 ms where a thread-pool round trip costs
// ~0.4 (BENCHMARKS.md analysis 14).
import { readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { UsageError, messageOf } from '../common/index.js';
import { errnoCode } from '../os/index.js';
import { parseAuthorizedKeys } from './authorized-keys.js';
import type { AuthorizedKey, LineWarning } from './authorized-keys.js';

export interface KeyStoreEvents {
  /** After every (re)load: warnings name line numbers. */
  onLoad(path: string, keys: number, warnings: LineWarning[]): void;
  /** The file vanished or became unreadable: no key is accepted until it is back. */
  onUnavailable(path: string, reason: string): void;
}

/** Picks the file to use; a missing file is a startup error (exit 2). */
export function resolveAuthorizedKeysPath(choice: { explicit: string } | { candidates: string[] }): string {
  const candidates = 'explicit' in choice ? [choice.explicit] : choice.candidates;
  for (const path of candidates) {
    try {
      const st = statSync(path);
      if (st.isDirectory()) throw new UsageError(`--authorized-keys ${path}: is a directory, expected an authorized_keys file`);
      return path;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      if (errnoCode(err) !== 'ENOENT') throw new UsageError(`--authorized-keys ${path}: cannot read (${messageOf(err)})`);
    }
  }
  const tried = candidates.join(' or ');
  throw new UsageError(
    `--authorized-keys: ${tried} does not exist; put your public key there (e.g. ssh-add -L > ${candidates[0]}) or pass --authorized-keys PATH`,
  );
}

export class KeyStore {
  private keys: readonly AuthorizedKey[] = [];
  private signature = '';
  private refreshing: Promise<readonly AuthorizedKey[]> | undefined;

  constructor(
    readonly path: string,
    private readonly events: KeyStoreEvents,
  ) {}

  /** First load at startup; an unreadable file is a UsageError. */
  load(): void {
    try {
      this.parse(statSync(this.path), readFileSync(this.path, 'utf8'));
    } catch (err) {
      throw new UsageError(`--authorized-keys ${this.path}: cannot read (${messageOf(err)})`);
    }
  }

  /** The keys as of now, re-reading the file if it changed. */
  current(): Promise<readonly AuthorizedKey[]> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<readonly AuthorizedKey[]> {
    let sig: string;
    try {
      const st = await stat(this.path);
      sig = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch (err) {
      this.markUnavailable(messageOf(err));
      return this.keys;
    }
    if (sig === this.signature) return this.keys;
    try {
      await this.reload();
    } catch (err) {
      this.markUnavailable(messageOf(err));
    }
    return this.keys;
  }

  private markUnavailable(reason: string): void {
    if (this.signature === 'unavailable') return;
    this.keys = [];
    this.signature = 'unavailable';
    this.events.onUnavailable(this.path, reason);
  }

  private async reload(): Promise<void> {
    const st = await stat(this.path);
    this.parse(st, await readFile(this.path, 'utf8'));
  }

  private parse(st: Stats, text: string): void {
    const { keys, warnings } = parseAuthorizedKeys(text);
    this.keys = keys;
    this.signature = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    this.events.onLoad(this.path, keys.length, warnings);
  }
}
