// Secrets as Encore reads them locally: `.secrets.local.cue` beside encore.app (flat `Name: "value"`
// lines). As our own convenience for CI and containers, an environment variable of the same name
// is used when the file does not set it (Encore itself does not read the environment).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export class Secret {
  constructor(private readonly value: string) {}
  /** Returns the cached value of the secret. */
  cached(): string {
    return this.value;
  }
}

/** Parses the flat subset of CUE that `.secrets.local.cue` uses: `Name: "value"` per line, comments with //. */
export function parseSecretsCue(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("//")) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(".*"|'.*'|#?"""[\s\S]*)$/.exec(line);
    if (!m) continue;
    const lit = m[2];
    try {
      out[m[1]] = lit.startsWith("'") ? lit.slice(1, -1) : JSON.parse(lit);
    } catch {
      out[m[1]] = lit.slice(1, -1);
    }
  }
  return out;
}

export class SecretStore {
  private readonly file: Record<string, string>;
  constructor(
    appRoot: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    const p = path.join(appRoot, ".secrets.local.cue");
    this.file = existsSync(p) ? parseSecretsCue(readFileSync(p, "utf8")) : {};
  }
  get(name: string): Secret | null {
    const v = this.file[name] ?? this.env[name];
    return v === undefined ? null : new Secret(v);
  }
}
