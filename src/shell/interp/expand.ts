// Word expansion: tilde, parameters, field splitting of unquoted parameters, then
// pathname expansion. Pure apart from the injected `home` and `glob` (asynchronous: they
// read the session's file system).
import type { Word, WordPart } from '../syntax/index.js';
import { hasGlob, unescapePattern } from './glob.js';

export interface ExpandEnv {
  /** A variable or special parameter (`?`, `$`, `!`, `#`, `0`, `1`…); undefined when unset. */
  param(name: string): string | undefined;
  /** `~` → $HOME, `~user` → that user's home; undefined when unknown. */
  home(user: string): Promise<string | undefined>;
  /** Expands an escaped pattern; [] when nothing matches. */
  glob(pattern: string): Promise<string[]>;
}

interface Field {
  /** With quoted glob characters escaped by a backslash. */
  pattern: string;
  /** Had any quoted (even empty) text: an empty field then still counts. */
  quoted: boolean;
}

function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

/** The text of every `~user` part of a word, looked up before the (synchronous) rest. */
async function tildes(word: Word, env: ExpandEnv): Promise<Map<WordPart, string>> {
  const homes = new Map<WordPart, string>();
  for (const part of word.parts) {
    if (part.type === 'tilde') homes.set(part, (await env.home(part.user)) ?? `~${part.user}`);
  }
  return homes;
}

function partText(part: WordPart, env: ExpandEnv, homes: Map<WordPart, string>): string {
  if (part.type === 'lit') return part.value;
  if (part.type === 'tilde') return homes.get(part)!;
  return env.param(part.name) ?? '';
}

/** Expands one word into fields (0, 1 or more). */
export async function expandWord(word: Word, env: ExpandEnv, options: { glob?: boolean } = {}): Promise<string[]> {
  const homes = await tildes(word, env);
  const fields: Field[] = [];
  let current: Field | undefined;
  const append = (text: string, quoted: boolean): void => {
    current ??= { pattern: '', quoted: false };
    current.pattern += quoted ? escapeGlob(text) : text.replace(/\\/g, '\\\\');
    if (quoted) current.quoted = true;
  };
  const end = (): void => {
    if (current) fields.push(current);
    current = undefined;
  };
  for (const part of word.parts) {
    if (part.type === 'lit') {
      // Unquoted literal text keeps its glob characters active.
      if (part.quoted) append(part.value, true);
      else {
        current ??= { pattern: '', quoted: false };
        current.pattern += part.value.replace(/\\/g, '\\\\');
      }
      continue;
    }
    if (part.type === 'tilde') {
      append(partText(part, env, homes), true);
      continue;
    }
    const value = partText(part, env, homes);
    if (part.quoted) {
      append(value, true);
      continue;
    }
    // Unquoted parameter: split on IFS whitespace; its glob characters stay active.
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, i) => {
      if (i > 0) end();
      if (piece) {
        current ??= { pattern: '', quoted: false };
        current.pattern += piece.replace(/\\/g, '\\\\');
      }
    });
  }
  end();
  const out: string[] = [];
  for (const field of fields) {
    if (field.pattern === '' && !field.quoted) continue;
    if (options.glob !== false && hasGlob(field.pattern)) {
      const matches = await env.glob(field.pattern);
      if (matches.length > 0) {
        out.push(...matches);
        continue;
      }
    }
    out.push(unescapePattern(field.pattern));
  }
  return out;
}

/** Expands a word to exactly one string without splitting or globbing (assignments, redirect targets). */
export async function expandString(word: Word, env: ExpandEnv): Promise<string> {
  const homes = await tildes(word, env);
  return word.parts.map((p) => partText(p, env, homes)).join('');
}
