// Exported PDF reports in the `analytics-reports` bucket, on the local store under a temporary data
// directory, with this file's own databases: an export keeps the PDF in the bucket (typed) and only
// the key and size in the row; a row that cannot be written leaves no object; reports written the
// old way (the PDF in the row) are moved by the job, from two runs at once, and read the same before
// and after; the retention purge removes the PDFs with the rows.
import "../../tests/fakes/auth-secrets";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pdf } from "../../tests/documents";
import { as, campaignRequest, type Profile } from "../../tests/inproc";

// Read when the runtime starts, which the app's first import does: set before it.
const dataDir = mkdtempSync(path.join(tmpdir(), "analytics-files-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
process.env.WARROOM_DATA_DIR = dataDir;
const { analytics, auth, campaigns, users } = await import("~encore/clients");
const { db } = await import("../db");
const store = await import("../store");
const { reportFiles } = await import("../files");
const { moveReportsToBucket, reportPdf, storeReport } = await import("./report-files");

let admin: Profile;
let manager: Profile;
let campaignId: string;

async function row(id: string) {
  return db.queryRow<{
    pdf: Buffer | null;
    object_key: string | null;
    size_bytes: number | null;
  }>`SELECT pdf, object_key, size_bytes FROM reports WHERE id = ${id}::uuid`;
}

/** The local store's object files under the data directory. */
function storedFiles(): string[] {
  return readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".bin"))
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  admin = (await auth.register({ email: "files-admin@example.org", password: "password-for-tests", name: "Admin" })).user;
  manager = (await users.createUser({ email: "files-manager@example.org", password: "password-for-tests", name: "Manager", role: "manager" }, as(admin))).user;
  campaignId = (await campaigns.createCampaign(campaignRequest({ name: "Rivera files" }), as(manager))).id;
});

describe("exports", () => {
  test("the PDF is in the bucket as application/pdf, the row holds its key and size", async () => {
    const report = await analytics.generateAnalyticsReport(
      { campaignId, startDate: new Date("2026-03-01T00:00:00Z"), endDate: new Date("2026-03-08T00:00:00Z"), format: "pdf" },
      as(manager),
    );
    const id = report.reportId!;
    const stored = await row(id);
    expect(stored).toMatchObject({ pdf: null, object_key: `${id}.pdf` });
    const attrs = await reportFiles.attrs(`${id}.pdf`);
    expect(attrs).toMatchObject({ size: stored!.size_bytes, contentType: "application/pdf" });
    const bytes = (await reportPdf((await store.getReport(id))!))!;
    expect(bytes.length).toBe(attrs.size);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(storedFiles().some((f) => readFileSync(f).equals(bytes))).toBe(true);
  });

  test("a row that cannot be written leaves no object behind", async () => {
    const id = randomUUID();
    const bytes = await pdf(["never stored"]);
    // A campaign id that is not a UUID: PostgreSQL refuses the insert after the upload succeeded.
    const write = storeReport({
      id,
      campaignId: "not-a-uuid",
      start: new Date(),
      end: new Date(),
      fileName: "x.pdf",
      pdf: bytes,
      pages: 1,
      createdBy: manager.id,
    });
    await expect(write).rejects.toThrow();
    expect(await reportFiles.exists(`${id}.pdf`)).toBe(false);
    expect(await row(id)).toBeNull();
  });
});

describe("reports stored the old way", () => {
  test("move to the bucket, from two runs at once, and read the same before and after; a second run moves nothing", async () => {
    const pdfs = await Promise.all([pdf(["First old report"]), pdf(["Second old report"]), pdf(["Third old report"])]);
    const ids: string[] = [];
    for (const [i, bytes] of pdfs.entries()) {
      // As the export wrote them before the bucket: the PDF in the row, no key, no size.
      const r = await db.queryRow<{ id: string }>`
        INSERT INTO reports (campaign_id, start_at, end_at, file_name, pdf, pages, created_by)
        VALUES (${campaignId}::uuid, now() - interval '7 days', now(), ${`old-${i}.pdf`}, ${bytes}, 1, ${manager.id}) RETURNING id::text AS id`;
      ids.push(r!.id);
    }
    for (const [i, id] of ids.entries()) expect((await reportPdf((await store.getReport(id))!))!.equals(pdfs[i])).toBe(true);

    // Two runs at once, one row per transaction so that they interleave: each row moves once.
    const runs = await Promise.all([moveReportsToBucket({ batch: 1 }), moveReportsToBucket({ batch: 1 })]);
    expect(runs[0].moved + runs[1].moved).toBe(pdfs.length);
    for (const [i, id] of ids.entries()) {
      expect(await row(id)).toEqual({ pdf: null, object_key: `${id}.pdf`, size_bytes: pdfs[i].length });
      expect((await reportFiles.attrs(`${id}.pdf`)).contentType).toBe("application/pdf");
      expect((await reportPdf((await store.getReport(id))!))!.equals(pdfs[i])).toBe(true);
    }
    expect(await moveReportsToBucket()).toEqual({ moved: 0, removed: 0 });
  });
});

describe("the retention purge", () => {
  test("removes the purged reports' PDFs with their rows, and leaves newer ones", async () => {
    const report = await analytics.generateAnalyticsReport(
      { campaignId, startDate: new Date("2026-04-01T00:00:00Z"), endDate: new Date("2026-04-02T00:00:00Z"), format: "pdf" },
      as(manager),
    );
    const newer = await analytics.generateAnalyticsReport(
      { campaignId, startDate: new Date("2026-04-02T00:00:00Z"), endDate: new Date("2026-04-03T00:00:00Z"), format: "pdf" },
      as(manager),
    );
    await db.exec`UPDATE reports SET created_at = now() + interval '1 hour' WHERE id = ${newer.reportId!}::uuid`;
    const purged = await analytics.purgeAnalytics({ dataClass: "analytics_rollups", before: new Date(Date.now() + 60_000) });
    expect(purged.deleted).toBeGreaterThanOrEqual(1);
    expect(await store.getReport(report.reportId!)).toBeNull();
    expect(await reportFiles.exists(`${report.reportId}.pdf`)).toBe(false);
    expect(await reportFiles.exists(`${newer.reportId}.pdf`)).toBe(true);
    expect(await db.queryRow`SELECT 1 FROM object_deletions`).toBeNull();
    // Twice: nothing left to delete, nothing fails, the newer report stays.
    expect((await analytics.purgeAnalytics({ dataClass: "analytics_rollups", before: new Date(Date.now() + 60_000) })).deleted).toBe(0);
    expect(await reportFiles.exists(`${newer.reportId}.pdf`)).toBe(true);
  });
});
