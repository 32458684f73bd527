// Diagnostics: what the parser reports, each pinned to file:line:column relative to the app root.
import path from "node:path";
import type ts from "typescript";

export interface Diagnostic {
  file: string; // relative to the app root, "/"-separated
  line: number; // 1-based
  column: number; // 1-based
  message: string;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly root: string) {}

  /** Reports at the first token of `node` (not its leading trivia). */
  at(node: ts.Node, message: string): void {
    const sf = node.getSourceFile();
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    this.add(this.rel(sf.fileName), line + 1, character + 1, message);
  }

  atFile(absFile: string, line: number, column: number, message: string): void {
    this.add(this.rel(absFile), line, column, message);
  }

  get hasErrors(): boolean {
    return this.list.length > 0;
  }

  private add(file: string, line: number, column: number, message: string): void {
    const key = `${file}:${line}:${column}:${message}`;
    if (this.seen.has(key)) return; // a shared named type reports its problem once
    this.seen.add(key);
    this.list.push({ file, line, column, message });
  }

  private rel(abs: string): string {
    return toPosix(path.relative(this.root, abs));
  }
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

/** Sorts by file, then position, so output is stable whatever order the passes ran in. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
