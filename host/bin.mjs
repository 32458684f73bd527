#!/usr/bin/env node
// Entry of our runtime's commands (npm start / check / gen / bench). Plain JS so that node runs it
// directly; it registers tsx for the TypeScript that follows (ours and the app's).
import { register } from "tsx/esm/api";
import path from "node:path";
import { existsSync } from "node:fs";

const args = process.argv.slice(2);
const rootFlag = args.indexOf("--root");
const root = path.resolve(rootFlag >= 0 ? args[rootFlag + 1] : process.cwd());
const tsconfig = path.join(root, "tsconfig.json");
register(existsSync(tsconfig) ? { tsconfig } : {});

const { main } = await import("./cli.ts");
const code = await main(args, root);
if (code !== null) process.exit(code);
