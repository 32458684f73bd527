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

test("isUuid takes a UUID of any version in either case and nothing else", () => {
  expect(isUuid("2f1c9a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")).toBe(true);
  expect(isUuid("2F1C9A3E-5B7D-4E8F-9A0B-1C2D3E4F5A6B")).toBe(true);
  expect(isUuid("00000000-0000-0000-0000-000000000000")).toBe(true);
  for (const bad of [
    "",
    "2f1c9a3e5b7d4e8f9a0b1c2d3e4f5a6b",
    "{2f1c9a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6b}",
    "2f1c9a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6",
    "2f1c9a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6g",
    " 2f1c9a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
    "2f1c9a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6b\n",
    "1; DROP TABLE users",
  ]) {
    expect(isUuid(bad), JSON.stringify(bad)).toBe(false);
  }
});
