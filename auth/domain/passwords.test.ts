import { describe, expect, test } from "vitest";
import { burnPasswordCheck, decideCost, generatePassword, hashPassword, needsRehash, passwordProblem, verifyPassword } from "./passwords";

describe("bcrypt cost", () => {
  test("defaults to 12; lower only outside production", () => {
    expect(decideCost("", true)).toEqual({ cost: 12 });
    expect(decideCost("13", true)).toEqual({ cost: 13 });
    expect(decideCost("4", false)).toEqual({ cost: 4, warning: expect.stringContaining("weak") });
    expect(decideCost("4", true)).toEqual({ cost: 12, warning: expect.stringContaining("production") });
  });

  test("junk or out-of-range values fall back to 12 with a warning", () => {
    for (const v of ["abc", "3", "40", "12.5"]) expect(decideCost(v, false)).toEqual({ cost: 12, warning: expect.any(String) });
  });
});

describe("passwords", () => {
  test("a hash verifies its password and nothing else", async () => {
    const hash = await hashPassword("correct horse", 4);
    expect(hash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", hash)).toBe(true);
    expect(await verifyPassword("correct horsE", hash)).toBe(false);
  });

  test("more than 72 bytes is refused rather than silently truncated", () => {
    expect(passwordProblem("é".repeat(36))).toBeNull(); // 72 bytes
    expect(passwordProblem("é".repeat(37))).toMatch(/72 bytes/);
  });

  test("a hash of a lower cost than today's needs rehashing", async () => {
    const hash = await hashPassword("pw-123456", 4);
    expect(needsRehash(hash, 5)).toBe(true);
    expect(needsRehash(hash, 4)).toBe(false);
  });

  test("the check for an unknown account always fails", async () => {
    expect(await burnPasswordCheck("no account has this password", 4)).toBe(false);
  });

  test("generated passwords are long and different", () => {
    const a = generatePassword();
    expect(a).toHaveLength(24);
    expect(generatePassword()).not.toBe(a);
  });
});
