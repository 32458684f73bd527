import { expect, test } from "vitest";
import { isUuid, uuidv7 } from "./ids";

test("UUIDv7s are valid, version 7, variant 10, unique, and ordered by time", () => {
  const ids = Array.from({ length: 5000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
  for (const id of ids) {
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe("7");
    expect("89ab").toContain(id[19]);
  }
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
  expect(uuidv7(0).startsWith("00000000-0000-7")).toBe(true);
});
