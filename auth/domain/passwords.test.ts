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

  test("past bcrypt's 72 bytes every character still counts (pre-hashed), and short passwords hash as before", async () => {
    const long = `${"Steady-Harbor-Lantern-".repeat(4)}end`; // 91 bytes
    const hash = await hashPassword(long, 4);
    expect(await verifyPassword(long, hash)).toBe(true);
    // Same first 72 bytes, different end: bcrypt alone would accept it.
    expect(await verifyPassword(`${long.slice(0, -3)}END`, hash)).toBe(false);
    // A hash made by plain bcrypt (every hash made before long passwords were allowed) still verifies.
    const { default: bcrypt } = await import("bcryptjs");
    expect(await verifyPassword("correct horse", await bcrypt.hash("correct horse", 4))).toBe(true);
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

describe("the password rules", () => {
  const alice = { email: "alice.rivera@campaign.org", name: "Alice Rivera" };

  test("8 to 128 characters (code points, not bytes)", () => {
    expect(passwordProblem("Xq7#vL2", alice)).toBe("password must be at least 8 characters");
    expect(passwordProblem("🔐🗝️🔑🚪", alice)).toMatch(/at least 8 characters/); // 8 UTF-16 units, fewer characters
    expect(passwordProblem("Tangerine-Owl-".repeat(10), alice)).toBe("password must be at most 128 characters");
    expect(
      passwordProblem("Steady harbor lanterns guide the quiet fleet home while orchards bloom beyond the granite ridge near Tallowmere in May!", alice),
    ).toBeNull(); // 123
    expect(passwordProblem("Éléphant-Rêveur-Château-Forêt-Crème-Brûlée-Été-Noël-Hôtel-Île-Ça-Va", alice)).toBeNull(); // 82 bytes: fine now
    // A repeated character stays weak however long.
    expect(passwordProblem("é".repeat(100), alice)).toMatch(/too weak/);
  });

  test("refused when it contains the email's local part, whatever the case", () => {
    expect(passwordProblem("ALICE.RIVERA-rocks-2026!", alice)).toBe("password must not contain your email's name (the part before @)");
    // A local part too short to mean anything is not looked for.
    expect(passwordProblem("gentle-quarry-orbit-55", { email: "al@campaign.org" })).toBeNull();
  });

  test("refused with the estimator's reason when it is weak (score below 3)", () => {
    for (const weak of ["password", "password1", "Password123!", "qwertyuiop", "iloveyou2026", "aaaaaaaaaaaa", "12345678910", "rivera2026"]) {
      const problem = passwordProblem(weak, alice);
      expect(problem, weak).toMatch(/^password is too weak: /);
    }
    expect(passwordProblem("password", alice)).toContain("heavily used password");
  });

  test("strong passwords pass", () => {
    for (const strong of ["correct horse battery staple", "Steady-Harbor-Lantern-42", "xK9#mQ2$vL7!", "a-good-password"]) {
      expect(passwordProblem(strong, alice), strong).toBeNull();
    }
  });
});
