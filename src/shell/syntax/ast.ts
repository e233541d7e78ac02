// The shell's syntax tree. Positions are 0-based offsets into the source line; the
// parser turns them into line:column only for error messages.

/** A piece of a word. `quoted` parts are never glob-expanded or field-split. */
export type WordPart =
  | { type: 'lit'; value: string; quoted: boolean }
  | { type: 'param'; name: string; quoted: boolean }
  /** `~` or `~user` at the start of a word (or of an assignment value). */
  | { type: 'tilde'; user: string };

export interface Word {
  parts: WordPart[];
  pos: number;
}

export type RedirectOp = '<' | '>' | '>>' | '>|' | '>&' | '<&' | '&>' | '&>>' | '<>';

/** `N>file`, `2>&1`, `&>file`. For `>&`/`<&` the target is a descriptor number or `-`. */
export interface Redirect {
  fd: number;
  op: RedirectOp;
  target: Word;
  pos: number;
}

export interface Assignment {
  name: string;
  value: Word;
  pos: number;
}

export interface SimpleCommand {
  type: 'simple';
  assigns: Assignment[];
  args: Word[];
  redirects: Redirect[];
  pos: number;
}

export interface Pipeline {
  type: 'pipeline';
  /** `! cmd`: the status is inverted. */
  negated: boolean;
  commands: SimpleCommand[];
  pos: number;
}

export interface AndOr {
  type: 'andor';
  first: Pipeline;
  rest: Array<{ op: '&&' | '||'; pipeline: Pipeline }>;
  pos: number;
}

export interface ListItem {
  andOr: AndOr;
  /** Ended by `&`. */
  background: boolean;
  /** The source text of this item, for `jobs` and the audit log. */
  text: string;
}

export interface Script {
  type: 'script';
  items: ListItem[];
}
