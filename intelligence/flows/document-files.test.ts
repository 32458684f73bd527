// Uploaded documents' files in the `intelligence-documents` bucket, on the local store under a
// temporary data directory, with this file's own databases: an upload keeps the file's own bytes
// (typed) in the bucket and only the key in the row; a row that cannot be written leaves no object;
// documents written the old way (the file in the row) are moved by the job, from two runs at once,
// and read the same before and after; purge and erasure remove the files, and a queued removal that
// failed is finished by the job.
import "../../tests/fakes/auth-secrets";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { docx, pdf } from "../../tests/documents";
import { as, code, type Profile } from "../../tests/inproc";

// Read when the runtime starts, which the app's first import does: set before it.
const dataDir = mkdtempSync(path.join(tmpdir(), "intelligence-files-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
delete process.env.OPENAI_API_KEY;
process.env.WARROOM_DATA_DIR = dataDir;
const { auth, intelligence, users } = await import("~encore/clients");
await import("../subscriptions");
const { db } = await import("../db");
const { documentFiles } = await import("../files");
const { moveDocumentsToBucket, storeDocument } = await import("./document-files");
const { processDocument } = await import("./documents");

let n = 0;
let admin: Profile;
let analyst: Profile;

async function user(role: "analyst" | "manager"): Promise<Profile> {
  return (await users.createUser({ email: `files-${++n}@example.org`, password: "password-for-tests", name: `User ${n}`, role }, as(admin))).user;
}

async function row(id: string) {
  return db.queryRow<{
    content: string | null;
    object_key: string | null;
    size_bytes: number;
  }>`SELECT content, object_key, size_bytes FROM documents WHERE id = ${id}::uuid`;
}

async function processed(id: string, who: Profile) {
  await vi.waitFor(async () => expect((await intelligence.getDocument({ id }, as(who))).status, "the document processed").not.toBe("pending"), {
    timeout: 15_000,
    interval: 50,
  });
  return intelligence.getDocument({ id }, as(who));
}

/** Every file under the data directory (the local store's objects are `<sha256>.bin` beside a `.json` record). */
function storedFiles(): string[] {
  return readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".bin"))
    .map((e) => path.join(e.parentPath, e.name));
}

let briefing: Buffer;
beforeAll(async () => {
  admin = (await auth.register({ email: "files-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  analyst = await user("analyst");
  briefing = await pdf(["Harbour briefing", "The ferry tariff falls in March."]);
});

describe("uploads", () => {
  test("the bucket holds the file's own bytes with its content type; the row holds the key; reads and processing use the bucket", async () => {
    const up = await intelligence.uploadDocument({ filename: "briefing.pdf", content: briefing.toString("base64") }, as(analyst));
    expect(up.content).toBe(briefing.toString("base64"));
    expect(await row(up.id)).toEqual({ content: null, object_key: `${up.id}.pdf`, size_bytes: briefing.length });
    expect(await documentFiles.attrs(`${up.id}.pdf`)).toMatchObject({ size: briefing.length, contentType: "application/pdf" });
    expect((await documentFiles.download(`${up.id}.pdf`)).equals(briefing)).toBe(true);
    // On disk, under the data directory: the PDF itself, not its base64.
    expect(storedFiles().some((f) => readFileSync(f).equals(briefing))).toBe(true);

    const doc = await processed(up.id, analyst);
    expect(doc).toMatchObject({ status: "processed", content: briefing.toString("base64") });
    expect(doc.summary).toContain("ferry tariff");

    const md = await intelligence.uploadDocument({ filename: "notes.md", content: "# Ferry\n\nTariffs fall — señor Ortiz agrees." }, as(analyst));
    expect(await documentFiles.attrs(`${md.id}.md`)).toMatchObject({ contentType: "text/markdown; charset=utf-8" });
    expect((await documentFiles.download(`${md.id}.md`)).toString("utf8")).toBe("# Ferry\n\nTariffs fall — señor Ortiz agrees.");
    expect((await processed(md.id, analyst)).content).toBe("# Ferry\n\nTariffs fall — señor Ortiz agrees.");
  });

  test("a row that cannot be written leaves no object behind", async () => {
    const id = randomUUID();
    // A campaign id that is not a UUID: PostgreSQL refuses the insert after the upload succeeded.
    await expect(
      storeDocument({ id, filename: "x.txt", format: "text", bytes: Buffer.from("orphan?"), uploadedBy: analyst.id, campaignId: "not-a-uuid" }),
    ).rejects.toThrow();
    expect(await documentFiles.exists(`${id}.txt`)).toBe(false);
    expect(await row(id)).toBeNull();
  });

  test("a document whose object is missing fails processing with a reason, and reading it is an error, not empty content", async () => {
    const up = await intelligence.uploadDocument({ filename: "gone.txt", content: "soon gone" }, as(analyst));
    await processed(up.id, analyst);
    await documentFiles.remove(`${up.id}.txt`);
    expect(await code(intelligence.getDocument({ id: up.id }, as(analyst)))).toBe("internal");
    await db.exec`UPDATE documents SET processed = false, status = 'pending' WHERE id = ${up.id}::uuid`;
    await processDocument(up.id);
    expect((await row(up.id))!.object_key).toBe(`${up.id}.txt`);
    const failed = await db.queryRow<{ status: string; error: string }>`SELECT status, error FROM documents WHERE id = ${up.id}::uuid`;
    expect(failed).toEqual({ status: "failed", error: "the uploaded file is missing from storage; upload it again" });
  });
});

describe("documents stored the old way", () => {
  test("move to the bucket in batches, from two runs at once, and read and process the same before and after; a second run moves nothing", async () => {
    const word = docx(["The marina bond goes to voters in May."]);
    // As the upload wrote them before the bucket: the API's content in the row, base64 (with line breaks, as `base64` prints it) for binaries.
    const legacy = [
      { format: "pdf", filename: "old.pdf", content: briefing.toString("base64").replace(/(.{76})/g, "$1\n"), bytes: briefing },
      { format: "docx", filename: "old.docx", content: word.toString("base64"), bytes: word },
      { format: "text", filename: "old.txt", content: "Ferry tariffs, the old memo.", bytes: Buffer.from("Ferry tariffs, the old memo.") },
      { format: "markdown", filename: "old.md", content: "# Old\n\nMarina notes.", bytes: Buffer.from("# Old\n\nMarina notes.") },
      { format: "text", filename: "older.txt", content: "Another old memo.", bytes: Buffer.from("Another old memo.") },
    ] as const;
    const ids: string[] = [];
    for (const d of legacy) {
      const r = await db.queryRow<{ id: string }>`
        INSERT INTO documents (filename, format, content, size_bytes, uploaded_by)
        VALUES (${d.filename}, ${d.format}, ${d.content}, ${d.bytes.length}, ${analyst.id}) RETURNING id::text AS id`;
      ids.push(r!.id);
    }
    // Before the move: processing and reads take the file from the row.
    await processDocument(ids[0]);
    const before = await intelligence.getDocument({ id: ids[0] }, as(analyst));
    expect(before).toMatchObject({ status: "processed", content: briefing.toString("base64") });
    expect(before.summary).toContain("ferry tariff");

    // Two runs at once, one row per transaction so that they interleave: each row moves once.
    const runs = await Promise.all([moveDocumentsToBucket({ batch: 1 }), moveDocumentsToBucket({ batch: 1 })]);
    expect(runs[0].moved + runs[1].moved).toBe(legacy.length);

    for (const [i, d] of legacy.entries()) {
      const key = `${ids[i]}.${{ pdf: "pdf", docx: "docx", text: "txt", markdown: "md" }[d.format]}`;
      expect(await row(ids[i])).toEqual({ content: null, object_key: key, size_bytes: d.bytes.length });
      expect((await documentFiles.download(key)).equals(d.bytes), d.filename).toBe(true);
    }
    expect((await documentFiles.attrs(`${ids[1]}.docx`)).contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    // The same document as before, its content as the API carries it (base64 of the same bytes).
    expect(await intelligence.getDocument({ id: ids[0] }, as(analyst))).toEqual(before);
    // After the move: processing takes the file from the bucket.
    await processDocument(ids[1]);
    await processDocument(ids[2]);
    expect((await intelligence.getDocument({ id: ids[1] }, as(analyst))).summary).toContain("marina bond");
    expect((await intelligence.getDocument({ id: ids[2] }, as(analyst))).content).toBe("Ferry tariffs, the old memo.");

    expect(await moveDocumentsToBucket()).toEqual({ moved: 0, removed: 0 });
  });
});

describe("deleting documents removes their files", () => {
  test("retention purge and erasure take the objects with the rows; twice is harmless", async () => {
    const owner = await user("analyst");
    const kept = await user("analyst");
    const old = await intelligence.uploadDocument({ filename: "old.txt", content: "purge me" }, as(owner));
    const mine = await intelligence.uploadDocument({ filename: "mine.txt", content: "erase me" }, as(kept));
    await processed(old.id, owner);
    await processed(mine.id, kept);
    // Only rows uploaded before the cutoff are purged: keep `mine` out of it by dating it later.
    await db.exec`UPDATE documents SET uploaded_at = now() + interval '1 hour' WHERE id = ${mine.id}::uuid`;

    const purged = await intelligence.purgeRetention({ dataClass: "documents", before: new Date(Date.now() + 60_000) });
    expect(purged.deleted).toBeGreaterThanOrEqual(1);
    expect(await documentFiles.exists(`${old.id}.txt`)).toBe(false);
    expect(await documentFiles.exists(`${mine.id}.txt`)).toBe(true);

    const erased = await intelligence.eraseUser({ requestId: randomUUID(), userId: kept.id });
    expect(erased.erased.documents).toBe(1);
    expect(await documentFiles.exists(`${mine.id}.txt`)).toBe(false);
    expect((await intelligence.eraseUser({ requestId: randomUUID(), userId: kept.id })).erased.documents).toBe(0);
    expect(await db.queryRow`SELECT 1 FROM object_deletions`).toBeNull();
  });

  test("a removal left queued (the store failed after the rows were deleted) is finished by the job", async () => {
    const key = `${randomUUID()}.txt`;
    await documentFiles.upload(key, Buffer.from("left behind"), { contentType: "text/plain; charset=utf-8" });
    await db.exec`INSERT INTO object_deletions (object_key) VALUES (${key}), (${`${randomUUID()}.pdf`})`;
    // One object is there, one is already gone: both leave the queue.
    expect(await moveDocumentsToBucket()).toEqual({ moved: 0, removed: 2 });
    expect(await documentFiles.exists(key)).toBe(false);
    expect(await db.queryRow`SELECT 1 FROM object_deletions`).toBeNull();
  });
});
