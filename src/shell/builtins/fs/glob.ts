// fnmatch(3)-style shell patterns for `find -name` and `grep --include`: `*`, `?`,
// `[...]` / `[!...]` with ranges and [:classes:], `\` quoting. Pure; compiled once.

const CLASS: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: '0-9a-zA-Z', upper: 'A-Z', lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v', blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f',
};

const escapeChar = (c: string): string => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c);

/** Compiles a glob to an anchored RegExp (`*` also matches a leading dot, as find does). */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '\\' && i + 1 < glob.length) out += escapeChar(glob[++i]!);
    else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (glob[j] === '!' || glob[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      let closed = false;
      while (j < glob.length) {
        const d = glob[j]!;
        if (d === ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (d === '[' && glob[j + 1] === ':') {
          const end = glob.indexOf(':]', j + 2);
          const name = end === -1 ? undefined : CLASS[glob.slice(j + 2, end)];
          if (name !== undefined) {
            cls += name;
            j = end + 2;
            continue;
          }
        }
        if (d === '\\' && j + 1 < glob.length) {
          cls += escapeChar(glob[j + 1]!);
          j += 2;
          continue;
        }
        cls += d === '-' && !first && glob[j + 1] !== ']' ? '-' : escapeChar(d);
        j++;
      }
      if (closed) {
        out += `[${cls}]`;
        i = j;
      } else out += '\\[';
    } else out += escapeChar(c);
  }
  return new RegExp(`^${out}$`, ignoreCase ? 'isu' : 'su');
}
