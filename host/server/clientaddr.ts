// The client's real address. The TCP peer is the client unless it is one of the configured trusted
// proxies (WARROOM_TRUSTED_PROXIES); only then are X-Forwarded-For / X-Real-IP believed, walking
// X-Forwarded-For from the right (each proxy appends the peer it saw) past trusted proxies to the
// first address none of them vouches for. Anyone can send these headers, so a runtime that believed
// them from anywhere would let a client choose the address its rate limits see. Pure.
import { isIP, isIPv4 } from "node:net";

/** An address as bytes: 4 for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
type Bytes = Uint8Array;

interface Cidr {
  bytes: Bytes;
  bits: number;
}

/** Parses an IPv4 or IPv6 address (no port, no brackets, no zone) into bytes; null if it is none. */
export function parseIp(text: string): Bytes | null {
  const kind = isIP(text);
  if (kind === 4) return Uint8Array.from(text.split(".").map(Number));
  if (kind !== 6) return null;
  let s = text.toLowerCase();
  // A trailing dotted quad (::ffff:192.0.2.1) is two 16-bit groups.
  const lastColon = s.lastIndexOf(":");
  const tail = s.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseIp(tail);
    if (v4?.length !== 4) return null;
    s = `${s.slice(0, lastColon + 1) + ((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [head, rest] = s.includes("::") ? s.split("::") : [s, null];
  const headGroups = head === "" ? [] : head.split(":").map((g) => parseInt(g, 16));
  const restGroups = rest === null || rest === "" ? [] : rest.split(":").map((g) => parseInt(g, 16));
  const zeros = rest === null ? 0 : 8 - headGroups.length - restGroups.length;
  if (zeros < 0) return null;
  const groups = [...headGroups, ...new Array<number>(zeros).fill(0), ...restGroups];
  if (groups.length !== 8) return null;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address: one address, one form.
  if (out.subarray(0, 10).every((b) => b === 0) && out[10] === 0xff && out[11] === 0xff) return out.slice(12);
  return out;
}

/** Whether an address (or host name) is this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const b = parseIp(h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h);
  if (!b) return false;
  return b.length === 4 ? b[0] === 127 : b.every((x, i) => x === (i === 15 ? 1 : 0));
}

/** The canonical text of an address: dotted quad, or RFC 5952 IPv6. */
export function formatIp(b: Bytes): string {
  if (b.length === 4) return b.join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  // The longest run of two or more zero groups becomes "::" (the first such run on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/**
 * An address as forwarding headers and sockets write it: `203.0.113.7`, `203.0.113.7:5123`,
 * `2001:db8::1`, `[2001:db8::1]:443`, `::ffff:203.0.113.7`; null if it is not an address.
 */
export function normalizeAddress(raw: string): string | null {
  // What sockets give on every request: a dotted quad, alone or IPv4-mapped, already canonical.
  if (raw.startsWith("::ffff:")) {
    const v4 = raw.slice(7);
    if (isIPv4(v4)) return v4;
  } else if (isIPv4(raw)) {
    return raw;
  }
  const b = addressBytes(raw);
  return b ? formatIp(b) : null;
}

/** The bytes of an address written as normalizeAddress accepts it, or null. */
function addressBytes(raw: string): Bytes | null {
  let s = raw.trim();
  if (s.length === 0 || s.length > 64) return null;
  if (s.startsWith("[")) {
    const end = s.indexOf("]");
    if (end < 0) return null;
    s = s.slice(1, end);
  } else if (s.indexOf(":") !== -1 && s.indexOf(":") === s.lastIndexOf(":") && s.includes(".")) {
    s = s.slice(0, s.indexOf(":")); // IPv4 with a port
  }
  const pct = s.indexOf("%"); // an IPv6 zone (fe80::1%eth0) names an interface, not a host
  if (pct >= 0) s = s.slice(0, pct);
  return parseIp(s);
}

function parseCidr(text: string): Cidr {
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseIp(addr);
  if (!bytes) throw new Error(`not an IP address or CIDR: ${JSON.stringify(text)}`);
  const max = bytes.length * 8;
  let bits = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    // An IPv4-mapped IPv6 prefix (::ffff:10.0.0.0/104) counts from the IPv4 part.
    const mapped = bytes.length === 4 && addr.includes(":");
    bits = /^\d{1,3}$/.test(p) ? Number(p) - (mapped ? 96 : 0) : NaN;
    if (!(bits >= 0 && bits <= max)) throw new Error(`bad prefix length in ${JSON.stringify(text)}`);
  }
  return { bytes, bits };
}

function contains(c: Cidr, b: Bytes): boolean {
  if (c.bytes.length !== b.length) return false;
  let bits = c.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((c.bytes[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

/** The trusted proxies: CIDRs (or single addresses), IPv4 and IPv6. */
export class TrustedProxies {
  private readonly cidrs: Cidr[];

  /** Parses a comma-separated list; throws naming the first entry that is not an address or CIDR. */
  constructor(list: string | readonly string[] = []) {
    const items = typeof list === "string" ? list.split(",") : list;
    this.cidrs = items
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(parseCidr);
  }

  get none(): boolean {
    return this.cidrs.length === 0;
  }

  /** Whether a normalised address lies in a trusted range. */
  has(address: string): boolean {
    if (this.cidrs.length === 0) return false;
    const b = parseIp(address);
    return b !== null && this.hasBytes(b);
  }

  hasBytes(b: Bytes): boolean {
    for (const c of this.cidrs) if (contains(c, b)) return true;
    return false;
  }
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(", ") : v;
}

/**
 * The client address of a request that arrived from `peer` with these forwarding headers: the peer
 * itself unless it is a trusted proxy; else X-Forwarded-For walked from the right past trusted
 * proxies (the first untrusted entry; an entry that is not an address stops the walk at the proxy
 * that passed it on; all trusted: the leftmost), else X-Real-IP, else the peer.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  realIp: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  const p = (peer !== undefined ? normalizeAddress(peer) : null) ?? "0.0.0.0";
  if (trusted.none || !trusted.has(p)) return p;
  const xff = single(forwardedFor);
  if (xff !== undefined && xff.trim() !== "") {
    const entries = xff.split(",");
    let last = p; // the nearest hop we believe
    for (let i = entries.length - 1; i >= 0; i--) {
      const b = addressBytes(entries[i]);
      if (b === null) return last;
      const a = formatIp(b);
      if (!trusted.hasBytes(b)) return a;
      last = a;
    }
    return last;
  }
  const real = single(realIp);
  if (real !== undefined) {
    const a = normalizeAddress(real);
    if (a !== null) return a;
  }
  return p;
}

/**
 * Sets `x-real-ip` to the client address and rewrites `x-forwarded-for` to that one address, on
 * the headers the app will see (handlers, auth handler parameters, currentRequest()).
 */
export function applyClientAddress(headers: Record<string, string | string[] | undefined>, peer: string | undefined, trusted: TrustedProxies): string {
  const addr = clientAddress(peer, headers["x-forwarded-for"], headers["x-real-ip"], trusted);
  headers["x-real-ip"] = addr;
  headers["x-forwarded-for"] = addr;
  return addr;
}
