// Every action the services record is in a namespace users may not write (SERVICE_AUDIT_NAMESPACES).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { isServiceAction, SERVICE_AUDIT_NAMESPACES } from "./audit";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", "encore.gen", "host", "tests", "bench", "scripts", ".data", "docs"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (SKIP.has(name) || name.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("the services' audit vocabulary", () => {
  test("every action recorded in the code is in a reserved namespace", () => {
    const actions = new Set<string>();
    for (const file of sourceFiles(ROOT)) {
      const text = readFileSync(file, "utf8");
      // `action: "thing.verb"` and the branches of `action: cond ? "a.b" : "c.d"`.
      for (const m of text.matchAll(/action:\s*([^,\n}]+)/g)) {
        for (const lit of m[1]!.matchAll(/"([a-z0-9_]+\.[a-z0-9_.]+)"/g)) actions.add(lit[1]!);
      }
    }
    // The scan finds what it should (a sample of each kind).
    expect([...actions]).toEqual(expect.arrayContaining(["user.created", "campaign.member_role_changed", "consent.opted_out", "alert.raised"]));
    expect([...actions].filter((a) => !isServiceAction(a))).toEqual([]);
  });

  test("namespaces are compared without case; others are free", () => {
    expect(isServiceAction("Campaign.Deleted")).toBe(true);
    expect(isServiceAction("user.role_changed")).toBe(true);
    expect(isServiceAction("outreach.call_made")).toBe(false);
    expect(SERVICE_AUDIT_NAMESPACES).toContain("session");
  });
});
