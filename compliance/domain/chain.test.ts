// The hash chain (pure): canonical content, links, and what verification reports for each kind of tampering.
import { describe, expect, test } from "vitest";
import { canonicalJson, ChainVerifier, detailsHash, entryHash, GENESIS_HASH, type StoredEntry } from "./chain";

function chain(n: number): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const details = { n: i, who: `person ${i}` };
    const e = {
      seq: i,
      id: `id-${i}`,
      occurredAt: new Date(1_700_000_000_000 + i),
      actorId: "u1",
      action: "thing.done",
      targetType: "thing",
      targetId: `t${i}`,
      requestId: "",
      service: "test",
      campaignId: null,
      detailsHash: detailsHash(details),
    };
    const hash = entryHash(e, prev);
    out.push({ ...e, prevHash: prev, hash, details });
    prev = hash;
  }
  return out;
}

function verify(entries: StoredEntry[], head = { seq: entries.at(-1)?.seq ?? 0, hash: entries.at(-1)?.hash ?? GENESIS_HASH }) {
  const v = new ChainVerifier();
  for (const e of entries) v.add(e);
  v.finish(head);
  return v;
}

describe("the audit hash chain", () => {
  test("canonical JSON sorts keys at every level, so equal details hash equally", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}');
    expect(detailsHash({ a: 1, b: 2 })).toBe(detailsHash({ b: 2, a: 1 }));
    expect(detailsHash({ a: 1 })).not.toBe(detailsHash({ a: 2 }));
  });

  test("an untouched chain verifies", () => {
    const v = verify(chain(5));
    expect(v.firstBreak).toBeNull();
    expect(v.checked).toBe(5);
  });

  test("an edited entry breaks at that entry", () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, action: "thing.undone" };
    expect(verify(entries).firstBreak).toMatchObject({ seq: 3, reason: "content_altered" });
  });

  test("edited details break at their entry", () => {
    const entries = chain(5);
    entries[1] = { ...entries[1]!, details: { n: 2, who: "someone else" } };
    expect(verify(entries).firstBreak).toMatchObject({ seq: 2, reason: "details_altered" });
  });

  test("a deleted entry breaks the link of the next one", () => {
    const entries = chain(5);
    entries.splice(2, 1);
    expect(verify(entries, { seq: 5, hash: chain(5)[4]!.hash }).firstBreak).toMatchObject({ seq: 4, reason: "link_broken" });
  });

  test("deleting the newest entries is caught by the recorded head", () => {
    const full = chain(5);
    expect(verify(full.slice(0, 4), { seq: 5, hash: full[4]!.hash }).firstBreak).toMatchObject({ reason: "head_mismatch" });
  });

  test("erased details are redacted, not broken", () => {
    const entries = chain(4).map((e, i) => (i % 2 === 0 ? { ...e, details: null } : e));
    const v = verify(entries);
    expect(v.firstBreak).toBeNull();
    expect(v.redacted).toBe(2);
  });
});
