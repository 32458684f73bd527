// One TypeScript program over the app's files, with the app's compiler options plus `~encore/*`.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const DEFAULT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  lib: ["lib.es2022.d.ts"], // not the default full lib: DOM typings are large and no backend needs them
  types: [],
  allowImportingTsExtensions: true,
};

/** The app's tsconfig.json options (following `extends`), without enumerating its files. */
export function appCompilerOptions(root: string): ts.CompilerOptions {
  const tsconfig = path.join(root, "tsconfig.json");
  let options: ts.CompilerOptions = { ...DEFAULT_OPTIONS };
  if (existsSync(tsconfig)) {
    const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
    if (!read.error) {
      // readDirectory returns nothing: we list the app's files ourselves and don't want TS walking the tree.
      const host: ts.ParseConfigHost = {
        useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
        readDirectory: () => [],
        fileExists: ts.sys.fileExists,
        readFile: ts.sys.readFile,
      };
      const parsed = ts.parseJsonConfigFileContent(read.config, host, root, undefined, tsconfig);
      options = { ...parsed.options };
      if (!options.lib) options.lib = DEFAULT_OPTIONS.lib;
    }
  }
  // The parser runs before codegen: `~encore/*` must point at encore.gen even when it doesn't exist yet
  // (imports of it then simply don't resolve, which is harmless here).
  const paths = { ...(options.paths ?? {}) };
  paths["~encore/*"] = [path.join(root, "encore.gen", "*")];
  return {
    ...options,
    // Global typings (@types/node: megabytes) only matter for type-checking bodies, which we never do.
    types: [],
    paths,
    noEmit: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
    declaration: false,
    sourceMap: false,
    composite: false,
    incremental: false,
    tsBuildInfoFile: undefined,
  };
}

// Library files (the TS lib, node_modules) never change while we run; tests build several programs.
const libCache = new Map<string, ts.SourceFile>();

function isStable(fileName: string): boolean {
  return fileName.includes("/node_modules/");
}

export function createAppProgram(root: string, files: string[]): ts.Program {
  const options = appCompilerOptions(root);
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, langOrOptions, onError, shouldCreate) => {
    if (!isStable(fileName)) return getSourceFile(fileName, langOrOptions, onError, shouldCreate);
    const key = `${JSON.stringify(langOrOptions)}|${fileName}`;
    let sf = libCache.get(key);
    if (!sf) {
      sf = getSourceFile(fileName, langOrOptions, onError, shouldCreate);
      if (sf) libCache.set(key, sf);
    }
    return sf;
  };
  return ts.createProgram({ rootNames: selectRootFiles(files), options, host });
}

function importsOf(abs: string): string[] {
  try {
    return ts.preProcessFile(readFileSync(abs, "utf8"), true, true).importedFiles.map((f) => f.fileName);
  } catch {
    return [];
  }
}

function resolveRelative(from: string, spec: string, known: Set<string>): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  const stem = base.replace(/\.(m?js|m?ts)$/, "");
  for (const c of [base, `${stem}.ts`, `${stem}.mts`, path.join(base, "index.ts")]) if (known.has(c)) return c;
  return undefined;
}

/**
 * The files worth giving the type checker: those importing encore.dev (only they can declare
 * resources), those importing such a file (a local wrapper re-exporting the SDK), and every
 * encore.service.ts. What they import comes along; the rest (tooling, our own runtime) would only
 * cost time, e.g. typings of the TypeScript compiler itself.
 */
export function selectRootFiles(files: string[]): string[] {
  const known = new Set(files);
  const imports = new Map(files.map((f) => [f, importsOf(f)]));
  const direct = new Set(files.filter((f) => imports.get(f)!.some((s) => s === "encore.dev" || s.startsWith("encore.dev/"))));
  return files.filter(
    (f) =>
      direct.has(f) ||
      path.basename(f) === "encore.service.ts" ||
      imports.get(f)!.some((s) => {
        const r = resolveRelative(f, s, known);
        return r !== undefined && direct.has(r);
      }),
  );
}
