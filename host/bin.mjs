#!/usr/bin/env node
// Entry of our runtime's commands (npm start / check / gen / bench). Plain JS so that node runs it
// directly; it registers tsx for the TypeScript that follows (ours and the app's).
import { register } from "tsx/esm/api";
import { register as registerCjs } from "tsx/cjs/api";
import path from "node:path";
import { existsSync } from "node:fs";

const args = process.argv.slice(2);
const rootFlag = args.indexOf("--root");
const root = path.resolve(rootFlag >= 0 ? args[rootFlag + 1] : process.cwd());
// The app runs with its root as the working directory, however it was started: apps read files
// relative to it (`./schema.graphql`), and tsx's CommonJS hooks take the tsconfig (its `~encore/*`
// paths) from it.
const command = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--root") ?? "start";
if (command === "start") process.chdir(root);
const tsconfig = path.join(root, "tsconfig.json");
register(existsSync(tsconfig) ? { tsconfig } : {});
// A CommonJS app's modules (package.json without "type": "module") are require()d: tsx's
// CommonJS hooks compile them and resolve `~encore/*` (from the tsconfig in the working directory).
if (command === "start") registerCjs();

const { main } = await import("./cli.ts");
const code = await main(args, root);
if (code !== null) process.exit(code);
