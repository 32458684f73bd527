// Postgres types as our SQL layer sees them: what each OID is, so a value can be encoded for the
// parameter type the server inferred and a result column decoded as Encore decodes it.

/** The kinds Encore's runtime can bind or decode (runtimes/core/src/sqldb/val.rs). */
export type ScalarKind =
  | "bool"
  | "bytea"
  | "text" // text, varchar, name
  | "int2"
  | "int4"
  | "int8"
  | "oid"
  | "float4"
  | "float8"
  | "numeric"
  | "json"
  | "jsonb"
  | "timestamp"
  | "timestamptz"
  | "date"
  | "time"
  | "uuid"
  | "inet"
  | "cidr"
  | "enum";

export interface PgType {
  oid: number;
  name: string; // pg_type.typname, as Encore's errors print it ("int4", "_text", "interval")
  kind: ScalarKind | "array" | "unsupported";
  elem?: PgType; // arrays only
}

const SCALARS: [number, string, ScalarKind][] = [
  [16, "bool", "bool"],
  [17, "bytea", "bytea"],
  [19, "name", "text"],
  [20, "int8", "int8"],
  [21, "int2", "int2"],
  [23, "int4", "int4"],
  [25, "text", "text"],
  [26, "oid", "oid"],
  [114, "json", "json"],
  [650, "cidr", "cidr"],
  [700, "float4", "float4"],
  [701, "float8", "float8"],
  [869, "inet", "inet"],
  [1043, "varchar", "text"],
  [1082, "date", "date"],
  [1083, "time", "time"],
  [1114, "timestamp", "timestamp"],
  [1184, "timestamptz", "timestamptz"],
  [1700, "numeric", "numeric"],
  [2950, "uuid", "uuid"],
  [3802, "jsonb", "jsonb"],
];

// Built-in types Encore does not handle: known here so they need no catalog lookup.
const UNSUPPORTED: [number, string][] = [
  [18, "char"],
  [142, "xml"],
  [705, "unknown"],
  [1042, "bpchar"],
  [1186, "interval"],
  [1266, "timetz"],
  [2249, "record"],
  [2278, "void"],
];

// [array oid, element oid]
const ARRAYS: [number, number][] = [
  [1000, 16],
  [1001, 17],
  [1003, 19],
  [1016, 20],
  [1005, 21],
  [1007, 23],
  [1009, 25],
  [1028, 26],
  [199, 114],
  [651, 650],
  [1021, 700],
  [1022, 701],
  [1041, 869],
  [1015, 1043],
  [1182, 1082],
  [1183, 1083],
  [1115, 1114],
  [1185, 1184],
  [1231, 1700],
  [2951, 2950],
  [3807, 3802],
  [1002, 18],
  [1014, 1042],
  [1187, 1186],
];

/** A registry of known types, seeded with the built-ins; the catalog adds the rest. */
export class TypeRegistry {
  private readonly types = new Map<number, PgType>();

  constructor() {
    for (const [oid, name, kind] of SCALARS) this.types.set(oid, { oid, name, kind });
    for (const [oid, name] of UNSUPPORTED) this.types.set(oid, { oid, name, kind: "unsupported" });
    for (const [oid, elemOid] of ARRAYS) {
      const elem = this.types.get(elemOid)!;
      this.types.set(oid, { oid, name: `_${elem.name}`, kind: "array", elem });
    }
  }

  get(oid: number): PgType | undefined {
    return this.types.get(oid);
  }

  /** OIDs among these that the registry does not know yet. */
  unknown(oids: Iterable<number>): number[] {
    const out = new Set<number>();
    for (const oid of oids) if (oid !== 0 && !this.types.has(oid)) out.add(oid);
    return [...out];
  }

  /**
   * Adds types from pg_type rows. Returns OIDs the rows refer to (array elements, domain bases)
   * that are still unknown, so the caller can look those up and call again.
   */
  addCatalogRows(rows: CatalogRow[]): number[] {
    const byOid = new Map(rows.map((r) => [r.oid, r]));
    const missing = new Set<number>();
    const resolve = (oid: number, seen: Set<number>): PgType | null => {
      const known = this.types.get(oid);
      if (known) return known;
      const row = byOid.get(oid);
      if (!row || seen.has(oid)) {
        if (!row) missing.add(oid);
        return null;
      }
      seen.add(oid);
      let t: PgType | null;
      if (row.typtype === "e") {
        t = { oid, name: row.typname, kind: "enum" };
      } else if (row.typtype === "d") {
        // A domain binds and decodes as its base type.
        const base = resolve(row.typbasetype, seen);
        t = base && { ...base, oid, name: row.typname };
      } else if (row.typcategory === "A" && row.typelem !== 0) {
        const elem = resolve(row.typelem, seen);
        t = elem && { oid, name: row.typname, kind: "array", elem };
      } else {
        t = { oid, name: row.typname, kind: "unsupported" };
      }
      if (t) this.types.set(oid, t);
      return t;
    };
    for (const r of rows) resolve(r.oid, new Set());
    return [...missing];
  }
}

/** A row of `SELECT oid, typname, typtype, typelem, typbasetype, typcategory FROM pg_type`. */
export interface CatalogRow {
  oid: number;
  typname: string;
  typtype: string;
  typelem: number;
  typbasetype: number;
  typcategory: string;
}

export const CATALOG_QUERY =
  "SELECT oid::int8, typname::text, typtype::text, typelem::int8, typbasetype::int8, typcategory::text FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])";
