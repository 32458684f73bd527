import { describe, expect, test } from "vitest";
import { applyClientAddress, clientAddress, normalizeAddress, TrustedProxies } from "./clientaddr.ts";

describe("addresses", () => {
  test("are normalised: ports, brackets, zones, case, IPv4-mapped IPv6, RFC 5952 zero runs", () => {
    expect(normalizeAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(normalizeAddress(" 203.0.113.7:5123 ")).toBe("203.0.113.7");
    expect(normalizeAddress("[2001:DB8:0:0:0:0:0:1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("::ffff:198.51.100.4")).toBe("198.51.100.4");
    expect(normalizeAddress("::FFFF:c633:6404")).toBe("198.51.100.4");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("::1")).toBe("::1");
    expect(normalizeAddress("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(normalizeAddress("::")).toBe("::");
  });

  test("that are not addresses are null", () => {
    for (const bad of ["", "evil", "unknown", "300.1.1.1", "1.2.3", "1".repeat(100), "::g", "1:2:3:4:5:6:7:8:9", "[::1", "203.0.113.7.1"]) {
      expect(normalizeAddress(bad), bad).toBeNull();
    }
  });
});

describe("trusted proxies", () => {
  test("match IPv4 and IPv6 CIDRs at any prefix length, and single addresses", () => {
    const t = new TrustedProxies("10.0.0.0/8, 192.168.1.128/25, 2001:db8:abcd::/48, 203.0.113.9, ::1");
    expect(t.has("10.255.3.4")).toBe(true);
    expect(t.has("11.0.0.1")).toBe(false);
    expect(t.has("192.168.1.128")).toBe(true);
    expect(t.has("192.168.1.255")).toBe(true);
    expect(t.has("192.168.1.127")).toBe(false);
    expect(t.has("2001:db8:abcd:12::5")).toBe(true);
    expect(t.has("2001:db8:abce::5")).toBe(false);
    expect(t.has("203.0.113.9")).toBe(true);
    expect(t.has("203.0.113.10")).toBe(false);
    expect(t.has("::1")).toBe(true);
    // The families do not mix: an IPv4 range says nothing about IPv6 addresses.
    expect(t.has("::a00:1")).toBe(false);
  });

  test("/0 trusts a whole family; an IPv4-mapped prefix counts from its IPv4 part", () => {
    expect(new TrustedProxies("0.0.0.0/0").has("198.51.100.1")).toBe(true);
    expect(new TrustedProxies("0.0.0.0/0").has("2001:db8::1")).toBe(false);
    expect(new TrustedProxies("::/0").has("2001:db8::1")).toBe(true);
    expect(new TrustedProxies("::ffff:10.0.0.0/104").has("10.1.2.3")).toBe(true);
  });

  test("none by default; a bad entry is an error naming it", () => {
    expect(new TrustedProxies("").none).toBe(true);
    expect(new TrustedProxies("").has("127.0.0.1")).toBe(false);
    expect(() => new TrustedProxies("10.0.0.0/8, localhost")).toThrow(/"localhost"/);
    expect(() => new TrustedProxies("10.0.0.0/33")).toThrow(/prefix/);
    expect(() => new TrustedProxies("2001:db8::/129")).toThrow(/prefix/);
    expect(() => new TrustedProxies("10.0.0.0/x")).toThrow(/prefix/);
  });
});

describe("the client address", () => {
  const none = new TrustedProxies();
  const lb = new TrustedProxies("10.0.0.0/8, fd00::/8");

  test("is the peer when no proxy is trusted, whatever the headers say", () => {
    expect(clientAddress("198.51.100.7", "203.0.113.50, 10.0.0.1", "203.0.113.50", none)).toBe("198.51.100.7");
    expect(clientAddress("::ffff:198.51.100.7", undefined, undefined, none)).toBe("198.51.100.7");
  });

  test("is the peer when the peer is not a trusted proxy", () => {
    expect(clientAddress("198.51.100.7", "203.0.113.50", "203.0.113.51", lb)).toBe("198.51.100.7");
  });

  test("from a trusted peer: X-Forwarded-For walked from the right, past trusted hops, to the first untrusted entry", () => {
    // A client that sends its own X-Forwarded-For gets it prepended to: the forged entries are left of the real one.
    expect(clientAddress("10.0.0.2", "1.1.1.1, 6.6.6.6, 203.0.113.50, 10.0.0.9", undefined, lb)).toBe("203.0.113.50");
    expect(clientAddress("10.0.0.2", ["1.1.1.1", "203.0.113.50:41234"], undefined, lb)).toBe("203.0.113.50");
    expect(clientAddress("fd00::2", "2001:db8::7, fd00::3", undefined, lb)).toBe("2001:db8::7");
  });

  test("an entry that is not an address stops the walk at the hop that passed it on", () => {
    expect(clientAddress("10.0.0.2", "203.0.113.50, garbage, 10.0.0.9", undefined, lb)).toBe("10.0.0.9");
    expect(clientAddress("10.0.0.2", "garbage", undefined, lb)).toBe("10.0.0.2");
  });

  test("all hops trusted: the leftmost; no X-Forwarded-For: X-Real-IP; neither: the peer", () => {
    expect(clientAddress("10.0.0.2", "10.0.0.5, 10.0.0.9", undefined, lb)).toBe("10.0.0.5");
    expect(clientAddress("10.0.0.2", undefined, "203.0.113.77", lb)).toBe("203.0.113.77");
    expect(clientAddress("10.0.0.2", "", "203.0.113.77", lb)).toBe("203.0.113.77");
    expect(clientAddress("10.0.0.2", undefined, "nonsense", lb)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", undefined, undefined, lb)).toBe("10.0.0.2");
  });

  test("is set on the headers the app sees: x-real-ip and a single-entry x-forwarded-for", () => {
    const h: Record<string, string | string[] | undefined> = { "x-forwarded-for": "6.6.6.6, 203.0.113.50", "x-real-ip": "6.6.6.6" };
    expect(applyClientAddress(h, "10.1.1.1", lb)).toBe("203.0.113.50");
    expect(h).toEqual({ "x-forwarded-for": "203.0.113.50", "x-real-ip": "203.0.113.50" });
    const direct: Record<string, string | string[] | undefined> = { "x-forwarded-for": "6.6.6.6" };
    applyClientAddress(direct, "198.51.100.2", lb);
    expect(direct).toEqual({ "x-forwarded-for": "198.51.100.2", "x-real-ip": "198.51.100.2" });
  });
});
