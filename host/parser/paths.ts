// Endpoint paths and methods, validated with Encore's rules.
import type { PathSegment } from "../meta.ts";

/** Encore's method order (it sorts declared methods by it); "*" means all of these but CONNECT. */
export const METHOD_ORDER = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT"];
export const ALL_METHODS = METHOD_ORDER.slice(0, 8);
const BODYLESS = new Set(["GET", "DELETE", "HEAD", "OPTIONS", "TRACE"]);

export function isMethod(m: string): boolean {
  return METHOD_ORDER.includes(m);
}

/** Sorted and deduplicated, as Encore stores them. */
export function normalizeMethods(methods: string[]): string[] {
  return [...new Set(methods)].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
}

export function expandMethods(methods: string[]): string[] {
  return methods.length === 1 && methods[0] === "*" ? ALL_METHODS : methods;
}

/** Whether some method sends fields in the query string (Encore: methods without a body). */
export function hasBodylessMethod(methods: string[]): boolean {
  return expandMethods(methods).some((m) => BODYLESS.has(m));
}

export type PathResult = { segments: PathSegment[] } | { error: string };

export function parsePath(p: string): PathResult {
  if (p === "") return { error: "empty path" };
  if (!p.startsWith("/")) return { error: "path must start with '/'" };
  if (p.includes("?")) return { error: "path cannot contain query parameters (the '?' character)" };
  if (p.includes("#")) return { error: "path cannot contain url fragment (the '#' character)" };
  if (p.startsWith("//")) return { error: "path cannot contain url authority" };
  const parts = p.slice(1).split("/");
  const segments: PathSegment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const v = parts[i];
    const last = i === parts.length - 1;
    if (v === "" && parts.length > 1) return { error: "path cannot contain empty path segment" };
    if (v === "") continue; // the root path "/"
    const sigil = v[0];
    const name = v.slice(1);
    if (sigil === ":" || sigil === "*" || sigil === "!") {
      if (name === "") return { error: "path parameters must have a name" };
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return { error: `invalid path parameter name "${name}"` };
      if (sigil === "*" && !last) return { error: "wildcard segment must be at the end of the path" };
      if (sigil === "!" && !last) return { error: "fallback segment must be at the end of the path" };
      segments.push({ type: sigil === ":" ? "param" : sigil === "*" ? "wildcard" : "fallback", value: name });
    } else {
      if (/[\s<>"{}|\\^`]/.test(v)) return { error: `path is invalid: unexpected character in segment "${v}"` };
      segments.push({ type: "literal", value: v });
    }
  }
  if (new Set(segments.filter((s) => s.type !== "literal").map((s) => s.value)).size !== segments.filter((s) => s.type !== "literal").length) {
    return { error: "path parameters must have unique names" };
  }
  return { segments };
}

/** Two endpoints conflict when, for a shared method, their paths differ only in parameter names. */
export function routeShape(segments: PathSegment[]): string {
  return `/${segments.map((s) => (s.type === "literal" ? s.value : s.type === "param" ? ":" : s.type === "wildcard" ? "*" : "!")).join("/")}`;
}
