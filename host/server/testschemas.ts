// Schema builders and a slice of app-like types, shared by the codec and encoder tests.
import type { FieldMeta, Schema } from "../meta.ts";

export const str: Schema = { kind: "string" };
export const num: Schema = { kind: "number" };
export const bool: Schema = { kind: "boolean" };
export const date: Schema = { kind: "date" };
export const lit = (value: string | number | boolean): Schema => ({ kind: "literal", value });
export const union = (...types: Schema[]): Schema => ({ kind: "union", types });
export const arr = (elem: Schema): Schema => ({ kind: "array", elem });
export const ref = (name: string): Schema => ({ kind: "ref", name });
export const field = (name: string, schema: Schema, extra: Partial<FieldMeta> = {}): FieldMeta => ({ name, schema, optional: false, ...extra });
export const obj = (...fields: FieldMeta[]): Schema => ({ kind: "object", fields });

// A slice of the app's types: a campaign with a nested audience, a recursive comment thread.
export const types: Record<string, Schema> = {
  Platform: union(lit("twitter"), lit("facebook"), lit("instagram")),
  Priority: union(lit(1), lit(2), lit(3)),
  TargetAudience: obj(
    field("ageRange", obj(field("min", { kind: "number", validate: { minValue: 13 } }), field("max", num))),
    field("locations", { kind: "array", elem: str, validate: { minLen: 1 } }),
    field("interests", arr(str), { optional: true }),
  ),
  CreateCampaign: obj(
    field("name", { kind: "string", validate: { minLen: 3, maxLen: 100 } }),
    field("budget", { kind: "number", validate: { minValue: 100 } }),
    field("startDate", date),
    field("endDate", date, { optional: true }),
    field("platforms", arr(ref("Platform"))),
    field("targetAudience", ref("TargetAudience")),
    field("contactEmail", { kind: "string", validate: { isEmail: true } }, { optional: true }),
    field("notes", union(str, { kind: "null" }), { optional: true }),
  ),
  Comment: obj(field("text", str), field("replies", arr(ref("Comment")), { optional: true })),
  Email: { kind: "string", validate: { isEmail: true } },
};
