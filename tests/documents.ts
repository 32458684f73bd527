// Documents for upload tests, built in process (no external tools).
import { crc32, deflateRawSync } from "node:zlib";
import PDFDocument from "pdfkit";

/** A PDF with one text line per entry of `lines`. */
export function pdf(lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    for (const line of lines) doc.text(line);
    doc.end();
  });
}

/** One file of a ZIP archive; `declaredSize` overrides the uncompressed size written in its headers (a lie). */
export interface ZipFile {
  name: string;
  data: Buffer;
  declaredSize?: number;
  stored?: boolean;
}

/** A ZIP archive (deflated entries unless `stored`), written byte by byte: local headers, central directory, end record. */
export function zip(files: ZipFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, "utf8");
    const body = f.stored ? f.data : deflateRawSync(f.data, { level: 9 });
    const size = f.declaredSize ?? f.data.length;
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(f.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(f.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** The XML of a Word body holding `body` (already XML) as is. */
const documentXml = (body: string | Buffer) =>
  Buffer.concat([
    Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>`),
    Buffer.from(body),
    Buffer.from("</w:body></w:document>"),
  ]);

/** A minimal .docx whose word/document.xml is `xml` (options as zip's for that entry). */
export function docxOf(xml: Buffer, over: Partial<ZipFile> = {}): Buffer {
  return zip([
    {
      name: "[Content_Types].xml",
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    },
    {
      name: "_rels/.rels",
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    },
    { name: "word/document.xml", data: xml, ...over },
  ]);
}

/** A .docx with one paragraph per entry of `paragraphs`. */
export function docx(paragraphs: string[]): Buffer {
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return docxOf(documentXml(paragraphs.map((p) => `<w:p><w:r><w:t>${esc(p)}</w:t></w:r></w:p>`).join("")));
}

/**
 * A DOCX bomb: word/document.xml is `mb` MB of one-word paragraphs (millions of XML elements, as a
 * parser holding the tree pays for them), a few hundred KB deflated; with `lie`, its headers declare
 * 1 KB instead.
 */
export function docxBomb(mb: number, lie = false): Buffer {
  const paragraph = "<w:p><w:r><w:t>a</w:t></w:r></w:p>";
  const xml = documentXml(Buffer.from(paragraph.repeat(Math.floor((mb * 1024 * 1024) / paragraph.length))));
  return docxOf(xml, lie ? { declaredSize: 1024 } : {});
}

/** A PDF from numbered object bodies (object i+1 is objects[i], the catalog is 1), with a correct xref table. */
export function pdfOf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let at = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), Buffer.from(o), Buffer.from("\nendobj\n")]);
    offsets.push(at);
    parts.push(b);
    at += b.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)].join("");
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A PDF whose page tree claims `pages` pages (one real page object repeated). */
export function pdfManyPages(pages: number): Buffer {
  const kids = 1000;
  const leaf = Math.ceil(pages / kids);
  return pdfOf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Count ${pages} /Kids [${Array.from({ length: kids }, () => "3 0 R").join(" ")}] >>`,
    `<< /Type /Pages /Parent 2 0 R /Count ${leaf} /Kids [${Array.from({ length: leaf }, () => "4 0 R").join(" ")}] >>`,
    "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>",
  ]);
}

/**
 * A one-page PDF whose content stream is `mb` MB of spaces deflated (a few hundred KB). With
 * `hiddenLength`, the deflate data opens with a stored block holding the bytes "endstream", so that
 * a scan for the keyword sees a 20-byte stream while /Length (and pdf.js) covers all of it.
 */
export function pdfStreamBomb(mb: number, hiddenLength = false): Buffer {
  const bomb = deflateRawSync(Buffer.alloc(mb * 1024 * 1024, " "), { level: 9 });
  const word = Buffer.from("\nendstream\n");
  // zlib header; a non-final stored block (LEN, ~LEN, bytes); the rest as raw deflate; a checksum
  // pdf.js does not verify.
  const stored = Buffer.concat([Buffer.from([0x00, word.length, 0x00, ~word.length & 0xff, 0xff]), word]);
  const stream = Buffer.concat([Buffer.from([0x78, 0x9c]), hiddenLength ? stored : Buffer.alloc(0), bomb, Buffer.alloc(4)]);
  return pdfOf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
    Buffer.concat([Buffer.from(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`), stream, Buffer.from("\nendstream")]),
  ]);
}
