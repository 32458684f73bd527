// Metrics through the real SDK (encore.dev/metrics) on our runtime, exported at /metrics:
// the fixture app host/testdata/resources started as `npm start` starts an app.
import path from "node:path";
import { describe, expect, test } from "vitest";
import { useFixture } from "../testing/use-fixture.ts";
import { Histogram, MetricsRegistry, MetricType, RuntimeMetrics, renderPrometheus } from "./metrics.ts";

const APP = path.resolve(import.meta.dirname, "../testdata/resources");
const TOKEN = "metrics-test-token";
const fixture = useFixture(APP, { WARROOM_OPS_TOKEN: TOKEN });

async function scrape(): Promise<string> {
  const res = await fetch(`${fixture.server.url}/metrics`, { headers: { "x-ops-token": TOKEN } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return res.text();
}

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/metrics on a served app", () => {
  test("is on the ops port (this machine, no token)", async () => {
    const res = await fetch(`${fixture.server.opsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("# TYPE encore_requests_total counter");
  });

  test("is behind the ops token on the public port", async () => {
    const res = await fetch(`${fixture.server.url}/metrics`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe("unauthenticated");
  });

  test("counters, counter groups with labels, gauges and gauge groups, by service", async () => {
    const make = (body: object) => fetch(`${fixture.server.url}/meter/make`, { method: "POST", body: JSON.stringify(body) });
    expect((await make({ count: 2, color: "red", big: true, depth: 7 })).status).toBe(200);
    expect((await make({ count: 3, color: "blue", big: false, depth: 4.5 })).status).toBe(200);
    const text = await scrape();
    expect(text).toContain("# TYPE widgets_made counter");
    expect(value(text, 'widgets_made{service="meter"}')).toBe(5);
    expect(value(text, 'widgets_by_kind{service="meter",color="red",big="true"}')).toBe(2);
    expect(value(text, 'widgets_by_kind{service="meter",color="blue",big="false"}')).toBe(3);
    expect(text).toContain("# TYPE widget_queue_depth gauge");
    expect(value(text, 'widget_queue_depth{service="meter"}')).toBe(4.5);
    expect(value(text, 'room_temperature{service="meter",room="blue"}')).toBe(2.25);
    // Declared outside any service: attributed to the request's service.
    expect(value(text, 'shared_calls{service="meter"}')).toBe(2);
  });

  test("increments outside a request are kept (attributed to the declaring service)", async () => {
    await expect.poll(async () => value(await scrape(), 'meter_heartbeats{service="meter"}') ?? 0, { timeout: 5_000 }).toBeGreaterThan(1);
  });

  test("the runtime's own: requests by endpoint and status with a latency histogram, pools", async () => {
    await fetch(`${fixture.server.url}/meter/make`, { method: "POST", body: "{" }); // 400
    const text = await scrape();
    expect(value(text, 'encore_requests_total{endpoint="meter.make",code="200"}')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'encore_requests_total{endpoint="meter.make",code="400"}')).toBe(1);
    expect(value(text, 'encore_request_duration_seconds_bucket{endpoint="meter.make",code="400",le="+Inf"}')).toBe(1);
    expect(value(text, 'encore_request_duration_seconds_count{endpoint="meter.make",code="400"}')).toBe(1);
    expect(text).toContain("# TYPE encore_request_duration_seconds histogram");
    expect(text).toContain("# TYPE encore_db_pool_connections_max gauge");
  });
});

describe("exposition (unit)", () => {
  test("histogram buckets are cumulative; labels escaped; gauges read as floats from their bits", async () => {
    const rm = new RuntimeMetrics();
    rm.observeRequest("svc.ep", 200, 3); // 0.003 s → first bucket
    rm.observeRequest("svc.ep", 200, 700); // 0.7 s → le=1
    rm.cronRun("nightly", true);
    rm.cronRun("nightly", false);
    rm.addCollector(() => [{ name: "x_backlog", help: "h", type: "gauge", samples: [{ labels: [["subscription", 'a"b\\c']], value: 3 }] }]);
    const reg = new MetricsRegistry(new BigUint64Array(new SharedArrayBuffer(64)));
    const c = reg.allocateSlot("unit_counter", [["k", "v"]], "svc", MetricType.Counter);
    const g = reg.allocateSlot("unit_gauge", [], "svc", MetricType.Gauge);
    expect(reg.allocateSlot("unit_counter", [["k", "v"]], "svc", MetricType.Counter)).toBe(c);
    const view = (reg as unknown as { view: BigUint64Array }).view;
    Atomics.add(view, c, 41n);
    new Float64Array(view.buffer, g * 8, 1)[0] = -1.5;
    const text = await renderPrometheus(rm);
    expect(text).toContain('unit_counter{service="svc",k="v"} 41');
    expect(text).toContain('unit_gauge{service="svc"} -1.5');
    expect(text).toContain('encore_request_duration_seconds_bucket{endpoint="svc.ep",code="200",le="0.005"} 1');
    expect(text).toContain('encore_request_duration_seconds_bucket{endpoint="svc.ep",code="200",le="0.5"} 1');
    expect(text).toContain('encore_request_duration_seconds_bucket{endpoint="svc.ep",code="200",le="1"} 2');
    expect(text).toContain('encore_cron_runs_total{job="nightly",outcome="error"} 1');
    expect(text).toContain('x_backlog{subscription="a\\"b\\\\c"} 3');
    const h = new Histogram();
    h.observe(100);
    expect(h.counts[h.counts.length - 1]).toBe(1);
  });
});
