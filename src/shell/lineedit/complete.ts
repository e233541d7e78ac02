// Tab completion: the command word completes against built-ins and PATH programs,
// other words against paths. Pure: the listings come from CompletionSources, which the
// caller fills beforehand (asynchronously, from the file system) for what
// completionNeed says this line will ask.

export interface CompletionSources {
  /** Command names (built-ins and programs on PATH) starting with prefix. */
  commands(prefix: string): string[];
  /** Entries of a directory (already expanded, absolute or relative to cwd) with whether each is a directory. */
  list(dir: string): Array<{ name: string; dir: boolean }>;
  /** `~` → $HOME */
  home: string | undefined;
}

export interface Completion {
  /** Where the word being completed starts in the line (code units). */
  start: number;
  /** The word as typed (unescaped). */
  word: string;
  /** Candidates, complete words (unescaped); directories end in '/'. */
  candidates: string[];
  /** The longest common prefix of the candidates (what can be inserted at once). */
  common: string;
}

const SEPARATORS = new Set([';', '|', '&', '(', ')', '<', '>']);

/** Finds the word before the cursor, undoing backslash escapes; and whether it is a command name. */
export function currentWord(before: string): { start: number; word: string; command: boolean } {
  let start = 0;
  let word = '';
  let quote: string | undefined;
  let commandPos = true;
  let sawWord = false;
  for (let i = 0; i < before.length; i++) {
    const c = before[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
      continue;
    }
    if (c === '\\' && i + 1 < before.length) {
      word += before[++i];
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      continue;
    }
    if (c === ' ' || c === '\t' || SEPARATORS.has(c)) {
      if (word || sawWord) {
        // A finished word: an assignment keeps the command position, anything else ends it.
        if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) commandPos = false;
      }
      if (SEPARATORS.has(c) && c !== '<' && c !== '>') commandPos = true;
      word = '';
      sawWord = false;
      start = i + 1;
      continue;
    }
    word += c;
    sawWord = true;
  }
  return { start, word, command: commandPos };
}

export function commonPrefix(items: readonly string[]): string {
  if (items.length === 0) return '';
  let prefix = items[0]!;
  for (const item of items) {
    while (!item.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/** Escapes what the shell would split or expand. */
export function escapeWord(word: string): string {
  return word.replace(/([\s'"\\$`|&;<>()*?[\]#~!{}])/g, '\\$1');
}

/** What completing this line needs: command names with a prefix, or one directory's entries. */
export type CompletionNeed = { kind: 'commands'; prefix: string } | { kind: 'list'; dir: string };

export function completionNeed(before: string, home: string | undefined): CompletionNeed {
  const { word, command } = currentWord(before);
  if (command && !word.includes('/')) return { kind: 'commands', prefix: word };
  return { kind: 'list', dir: pathParts(word, home).dir };
}

function pathParts(word: string, home: string | undefined): { dirPart: string; base: string; dir: string } {
  const slash = word.lastIndexOf('/');
  const dirPart = slash === -1 ? '' : word.slice(0, slash + 1);
  const base = slash === -1 ? word : word.slice(slash + 1);
  let dir = dirPart === '' ? '.' : dirPart;
  if ((dir === '~/' || dir.startsWith('~/')) && home) dir = home + dir.slice(1);
  return { dirPart, base, dir };
}

export function complete(before: string, sources: CompletionSources): Completion {
  const { start, word } = currentWord(before);
  const need = completionNeed(before, sources.home);
  const candidates = need.kind === 'commands' ? [...new Set(sources.commands(word))].sort() : completePath(word, sources);
  return { start, word, candidates, common: commonPrefix(candidates) };
}

function completePath(word: string, sources: CompletionSources): string[] {
  const { dirPart, base, dir } = pathParts(word, sources.home);
  return sources
    .list(dir)
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .map((e) => dirPart + e.name + (e.dir ? '/' : ''))
    .sort();
}
