// The import graph of src/ (and the other trees that import from it), read with
// TypeScript's own parser: every static import/export-from, `import x = require()` and
// dynamic `import('…')` with a literal specifier. Used by imports.test.ts.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to the repository root (posix separators). */
  from: string;
  /** Imported file, relative to the repository root. */
  to: string;
  /** The specifier as written. */
  specifier: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
  line: number;
}

const posix = (p: string): string => p.split(sep).join('/');

export function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...listTsFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** Every relative import of `file` that resolves to a .ts file. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, literal: ts.Expression | undefined, typeOnly: boolean): void => {
    if (!literal || !ts.isStringLiteralLike(literal)) return;
    const target = resolveSpecifier(file, literal.text);
    if (!target) return;
    edges.push({
      from: posix(relative(root, file)),
      to: posix(relative(root, target)),
      specifier: literal.text,
      typeOnly,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const allTypes =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier, allTypes);
    } else if (ts.isExportDeclaration(node)) {
      const allTypes =
        node.isTypeOnly ||
        (node.exportClause !== undefined &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier, allTypes);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal as ts.Expression, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The folder of a repository-relative path ("src/shell/builtins/fs/x.ts" → "src/shell/builtins/fs"). */
export const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

/**
 * Why an edge breaks the folder rule, or undefined when it keeps it. The rule: a folder's
 * files are private to it and its sub-folders; from outside a folder, it is reached only
 * through that folder's index.ts. So an import from folder A of a file in folder B, where C
 * is their closest common folder and X the folder under C on the way to B, must name
 * X/index.ts (src/ itself is not a folder: its top-level folders are). A file may import the files of its own folder and of the folders above it
 * (but not the index.ts of a folder above it: that one faces outward).
 */
export function boundaryViolation(edge: ImportEdge): string | undefined {
  const a = folderOf(edge.from).split('/');
  const b = folderOf(edge.to).split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  if (common === b.length) {
    // Same folder, or a folder above the importer.
    if (common < a.length && edge.to.endsWith('/index.ts')) {
      return `imports ${edge.to}, the public face of a folder it is inside; import the file it needs`;
    }
    return undefined;
  }
  // src/ itself holds only folders: from outside it (busybox-fetch/), each of its folders
  // is entered on its own.
  const entered = b.slice(0, Math.max(common + 1, b[0] === 'src' ? 2 : 0)).join('/');
  if (edge.to === `${entered}/index.ts`) return undefined;
  return `reaches into ${entered}/ past its index.ts (imports ${edge.to}; use ${entered}/index.ts)`;
}

/** Cycles of the graph (one per strongly connected component of more than one file, or a self-import). */
export function cycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    next.get(e.from)!.push(e.to);
  }
  // Tarjan's strongly connected components, iterative enough for a few hundred files.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strong = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indices.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...next.keys()].sort()) if (!indices.has(v)) strong(v);
  // Report each component as one concrete cycle through its first file.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const path = shortestCycle(start, members, next);
    return path;
  });
}

function shortestCycle(start: string, members: Set<string>, next: Map<string, string[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
