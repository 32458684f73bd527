// The checks made before anything is inflated: a ZIP's directory (entry count, declared sizes,
// ratios, methods, entries inside the file, ZIP64), the running expansion total, and the scan of a
// PDF's streams.
import { deflateSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { docx, pdfOf, zip } from "../../tests/documents";
import { checkExpansion, DEFAULT_LIMITS, LimitExceeded, pdfStreams, RATIO_FLOOR_BYTES, zipEntries, type FileLimits } from "./limits";

const MB = 1024 * 1024;
const limits: FileLimits = { ...DEFAULT_LIMITS, maxExpandedBytes: 8 * MB, maxRatio: 50, maxEntries: 10 };
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(LimitExceeded);
    return (err as Error).message;
  }
  throw new Error("no refusal");
};

describe("zipEntries", () => {
  test("lists a real archive's entries with their sizes and where their data starts", () => {
    const file = zip([
      { name: "a.txt", data: Buffer.from("hello hello hello hello") },
      { name: "b.bin", data: Buffer.from([1, 2, 3]), stored: true },
    ]);
    const entries = zipEntries(file, limits);
    expect(entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ["a.txt", 8, 23],
      ["b.bin", 0, 3],
    ]);
    const b = entries[1]!;
    expect([...file.subarray(b.dataOffset, b.dataOffset + b.compressedSize)]).toEqual([1, 2, 3]);
    expect(zipEntries(docx(["Hello"]), DEFAULT_LIMITS).map((e) => e.name)).toContain("word/document.xml");
  });

  test("refuses by declared size, total and ratio before inflating anything", () => {
    const big = zip([{ name: "word/document.xml", data: Buffer.from("x"), declaredSize: 9 * MB }]);
    expect(refusal(() => zipEntries(big, limits))).toMatch(/expands to more than 8 MB/);
    // Nine parts of 1 MB each: none too big or too dense alone, too much together.
    const total = zip(Array.from({ length: 9 }, (_, i) => ({ name: `p${i}`, data: Buffer.from("y"), declaredSize: RATIO_FLOOR_BYTES })));
    expect(refusal(() => zipEntries(total, limits))).toMatch(/expands to more than 8 MB/);
    const dense = zip([{ name: "word/document.xml", data: Buffer.alloc(4 * MB, 0x20) }]);
    expect(refusal(() => zipEntries(dense, limits))).toMatch(/part word\/document.xml is compressed \d+ times, more than the 50 times/);
    // Small parts may compress as well as they like.
    expect(zipEntries(zip([{ name: "s", data: Buffer.alloc(RATIO_FLOOR_BYTES, 0x20) }]), limits)).toHaveLength(1);
  });

  test("refuses too many entries, odd methods, entries outside the file, ZIP64 and non-archives", () => {
    expect(refusal(() => zipEntries(zip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, data: Buffer.from("z") }))), limits))).toMatch(
      /11 parts, more than the limit of 10/,
    );
    const odd = zip([{ name: "a", data: Buffer.from("abc") }]);
    const cd = odd.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    odd.writeUInt16LE(14, cd + 10); // LZMA
    expect(refusal(() => zipEntries(odd, limits))).toMatch(/compression method 14/);
    const cut = zip([{ name: "a", data: Buffer.from("abcdef".repeat(100)) }]);
    const cd2 = cut.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    cut.writeUInt32LE(100_000, cd2 + 20);
    expect(refusal(() => zipEntries(cut, limits))).toMatch(/cut short/);
    const z64 = zip([{ name: "a", data: Buffer.from("abc") }]);
    z64.writeUInt32LE(0xffffffff, z64.length - 22 + 16);
    expect(refusal(() => zipEntries(z64, limits))).toMatch(/ZIP64/);
    expect(refusal(() => zipEntries(Buffer.from("PK not really a zip at all, just text"), limits))).toMatch(/not a readable Word document/);
  });
});

test("checkExpansion keeps the running total and the ratio of what was really inflated", () => {
  expect(checkExpansion("a", 100, 1000, 0, limits)).toBe(1000);
  expect(refusal(() => checkExpansion("a", MB, 2 * MB, 7 * MB, limits))).toMatch(/more than 8 MB/);
  expect(refusal(() => checkExpansion("a", 1000, 2 * MB, 0, limits))).toMatch(/compressed 2097 times/);
});

test("pdfStreams finds each stream's bytes and whether it is Flate-encoded", () => {
  const flate = deflateSync(Buffer.from("BT /F1 12 Tf (Hi) Tj ET"));
  const file = pdfOf([
    "<< /Type /Catalog >>",
    Buffer.concat([Buffer.from(`<< /Length ${flate.length} /Filter /FlateDecode >>\nstream\n`), flate, Buffer.from("\nendstream")]),
    "<< /Length 5 >>\nstream\r\nplain\nendstream",
  ]);
  const streams = pdfStreams(file);
  expect(streams.map((s) => s.flate)).toEqual([true, false]);
  expect(file.subarray(streams[0]!.start, streams[0]!.start + flate.length).equals(flate)).toBe(true);
  expect(file.subarray(streams[1]!.start, streams[1]!.end).toString("latin1")).toBe("plain\n");
});
