// Which files make up an Encore app, in the order Encore's parser visits them.
import { readdirSync, type Dirent } from "node:fs";
import path from "node:path";

const IGNORED_DIRS = new Set(["node_modules", "encore.gen", "dist", "testdata", "__tests__"]);

/** Directories the parser never descends into: generated output, dependencies, dot-folders (.encore, .data, .git). */
export function isIgnoredDir(name: string): boolean {
  return IGNORED_DIRS.has(name) || name.startsWith(".");
}

/** App source files: .ts/.mts, minus tests and declaration files. */
export function isAppSourceFile(name: string): boolean {
  if (!/\.m?ts$/.test(name)) return false;
  return !/\.(test|spec)\.m?ts$/.test(name) && !/\.d\.m?ts$/.test(name);
}

export const SERVICE_FILE = "encore.service.ts";

/**
 * Walks the app depth-first the way Encore does: within a folder `encore.service.ts` first, then
 * entries by name (files and folders interleaved). `visit` sees every file that is not in an ignored folder.
 */
export function walkApp(root: string, visit: (abs: string, entry: Dirent) => void): void {
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => {
      if (a.name === SERVICE_FILE) return -1;
      if (b.name === SERVICE_FILE) return 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!isIgnoredDir(e.name)) walk(abs);
      } else if (e.isFile()) {
        visit(abs, e);
      }
    }
  };
  walk(root);
}

/** Absolute paths of the app's source files, in walk order. */
export function listAppFiles(root: string): string[] {
  const files: string[] = [];
  walkApp(root, (abs, e) => {
    if (isAppSourceFile(e.name)) files.push(abs);
  });
  return files;
}
