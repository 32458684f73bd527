// Cleaning a MonitoringConfig: list entries trimmed, blank ones refused, repeats (in any case)
// dropped, platforms in lower case. The thresholds are judged by the detector (resolveConfig). Pure.

/** The lists of a MonitoringConfig. */
export interface ConfigLists {
  keywords: string[];
  competitors: string[];
  influencers: string[];
  platforms: string[];
}

export type ListsCheck = { ok: true; lists: ConfigLists } | { ok: false; message: string };

function cleanList(name: string, values: readonly string[], lower: boolean): { ok: true; values: string[] } | { ok: false; message: string } {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i].replace(/\s+/g, " ").trim();
    if (value === "") return { ok: false, message: `${name}[${i}] must not be blank` };
    const key = value.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(lower ? key : value);
  }
  return { ok: true, values: out };
}

export function cleanConfigLists(lists: ConfigLists): ListsCheck {
  const out: Partial<ConfigLists> = {};
  for (const name of ["keywords", "competitors", "influencers", "platforms"] as const) {
    const r = cleanList(name, lists[name], name === "platforms");
    if (!r.ok) return r;
    out[name] = r.values;
  }
  return { ok: true, lists: out as ConfigLists };
}
