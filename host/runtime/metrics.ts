// Metrics: the native library's MetricsRegistry (the app's Counter/Gauge from encore.dev/metrics)
// and the runtime's own (requests, Pub/Sub, cron, pools), exported in Prometheus' text format at
// /metrics (server/ops.ts).
//
// The SDK writes app metrics straight into a shared buffer (a counter's slot holds a u64, a gauge's
// the bits of an f64); the registry only hands out slots and remembers what each one is, so an
// increment costs the SDK one atomic add and nothing here. The runtime's own counters are plain
// numbers in maps keyed without string building, for the same reason: the request path pays two
// map lookups and a bucket scan.

export enum MetricType {
  Counter = "Counter",
  Gauge = "Gauge",
}

interface Slot {
  name: string;
  labels: Array<[string, string]>;
  service: string | null;
  type: MetricType;
}

export class MetricsRegistry {
  private readonly index = new Map<string, number>();
  private readonly slots: Slot[] = [];
  private readonly view: BigUint64Array;

  constructor(buffer: object) {
    this.view = toView(buffer);
    registries.add(this);
  }

  allocateSlot(name: string, labels: Array<[string, string]>, serviceName: string | undefined | null, metricType: MetricType): number {
    const key = JSON.stringify([name, labels, serviceName ?? null, metricType]);
    let slot = this.index.get(key);
    if (slot === undefined) {
      if (this.slots.length >= this.view.length) throw new Error(`metrics buffer full (${this.view.length} series)`);
      slot = this.slots.length;
      this.slots.push({ name, labels: [...labels], service: serviceName ?? null, type: metricType });
      this.index.set(key, slot);
    }
    return slot;
  }

  slotCount(): number {
    return this.slots.length;
  }

  /** Every allocated series with its current value. */
  samples(): { name: string; type: MetricType; labels: Array<[string, string]>; value: number }[] {
    const f64 = new Float64Array(1);
    const u64 = new BigUint64Array(f64.buffer);
    return this.slots.map((s, i) => {
      const raw = Atomics.load(this.view, i);
      let value: number;
      if (s.type === MetricType.Gauge) {
        u64[0] = raw;
        value = f64[0];
      } else value = Number(raw);
      const labels: Array<[string, string]> = s.service ? [["service", s.service], ...s.labels] : s.labels;
      return { name: s.name, type: s.type, labels, value };
    });
  }
}

function toView(buffer: object): BigUint64Array {
  if (buffer instanceof BigUint64Array) return buffer;
  if (buffer instanceof SharedArrayBuffer || buffer instanceof ArrayBuffer) return new BigUint64Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new BigUint64Array(buffer.buffer, buffer.byteOffset, Math.floor(buffer.byteLength / 8));
  throw new TypeError("MetricsRegistry needs a BigUint64Array or an ArrayBuffer");
}

const registries = new Set<MetricsRegistry>();

// ----- the runtime's own metrics

/** Upper bounds in seconds, as Prometheus' client libraries default to. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Histogram {
  readonly counts = new Float64Array(LATENCY_BUCKETS.length + 1); // the last is +Inf
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) i++;
    this.counts[i]++;
    this.sum += seconds;
    this.count++;
  }
}

type Gathered = { name: string; help: string; type: "gauge" | "counter"; samples: { labels: Array<[string, string]>; value: number }[] };

export class RuntimeMetrics {
  /** endpoint ("svc.name") → status → latency */
  readonly requests = new Map<string, Map<number, Histogram>>();
  /** subscription → latency from publish to successful handling */
  readonly deliveries = new Map<string, Histogram>();
  /** subscription → failed handler runs */
  readonly deliveryFailures = new Map<string, number>();
  /** job → outcome ("ok" | "error") → runs */
  readonly cronRuns = new Map<string, Map<string, number>>();
  private readonly collectors: (() => Promise<Gathered[]> | Gathered[])[] = [];

  observeRequest(endpoint: string, status: number, ms: number): void {
    let byStatus = this.requests.get(endpoint);
    if (!byStatus) this.requests.set(endpoint, (byStatus = new Map()));
    let h = byStatus.get(status);
    if (!h) byStatus.set(status, (h = new Histogram()));
    h.observe(ms / 1000);
  }

  observeDelivery(subscription: string, publishedAt: Date): void {
    let h = this.deliveries.get(subscription);
    if (!h) this.deliveries.set(subscription, (h = new Histogram()));
    h.observe(Math.max(0, Date.now() - publishedAt.getTime()) / 1000);
  }

  deliveryFailed(subscription: string): void {
    this.deliveryFailures.set(subscription, (this.deliveryFailures.get(subscription) ?? 0) + 1);
  }

  cronRun(job: string, ok: boolean): void {
    let m = this.cronRuns.get(job);
    if (!m) this.cronRuns.set(job, (m = new Map()));
    const k = ok ? "ok" : "error";
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  /** Values read when scraped (backlogs, pools): a collector returns whole families. */
  addCollector(fn: () => Promise<Gathered[]> | Gathered[]): () => void {
    this.collectors.push(fn);
    return () => {
      const i = this.collectors.indexOf(fn);
      if (i >= 0) this.collectors.splice(i, 1);
    };
  }

  async gather(): Promise<Gathered[]> {
    const out: Gathered[] = [];
    for (const c of this.collectors) {
      try {
        out.push(...(await c()));
      } catch {
        // A collector that cannot answer (database down) leaves its families out of this scrape.
      }
    }
    return out;
  }
}

/** One per process: the HTTP server, Pub/Sub and cron record into it. */
export const runtimeMetrics = new RuntimeMetrics();

// ----- Prometheus text format (version 0.0.4)

function escLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labelText(labels: Array<[string, string]>): string {
  if (labels.length === 0) return "";
  return `{${labels.map(([k, v]) => `${sanitizeName(k)}="${escLabel(v)}"`).join(",")}}`;
}

function sanitizeName(n: string): string {
  return n.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
}

function num(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function histogramLines(out: string[], name: string, labels: Array<[string, string]>, h: Histogram): void {
  let cum = 0;
  for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
    cum += h.counts[i];
    out.push(`${name}_bucket${labelText([...labels, ["le", String(LATENCY_BUCKETS[i])]])} ${cum}`);
  }
  out.push(`${name}_bucket${labelText([...labels, ["le", "+Inf"]])} ${h.count}`);
  out.push(`${name}_sum${labelText(labels)} ${h.sum}`);
  out.push(`${name}_count${labelText(labels)} ${h.count}`);
}

/** The exposition: the app's metrics, then the runtime's. */
export async function renderPrometheus(rm: RuntimeMetrics = runtimeMetrics): Promise<string> {
  const out: string[] = [];
  // App metrics: one family per name, typed by the SDK's kind.
  const families = new Map<string, { type: MetricType; lines: string[] }>();
  for (const reg of registries) {
    for (const s of reg.samples()) {
      const name = sanitizeName(s.name);
      let f = families.get(name);
      if (!f) families.set(name, (f = { type: s.type, lines: [] }));
      f.lines.push(`${name}${labelText(s.labels)} ${num(s.value)}`);
    }
  }
  for (const [name, f] of families) {
    out.push(`# TYPE ${name} ${f.type === MetricType.Counter ? "counter" : "gauge"}`, ...f.lines);
  }

  out.push("# HELP encore_requests_total Requests served, by endpoint and HTTP status.", "# TYPE encore_requests_total counter");
  for (const [ep, byStatus] of rm.requests)
    for (const [st, h] of byStatus)
      out.push(
        `encore_requests_total${labelText([
          ["endpoint", ep],
          ["code", String(st)],
        ])} ${h.count}`,
      );
  out.push("# HELP encore_request_duration_seconds Request latency, by endpoint and HTTP status.", "# TYPE encore_request_duration_seconds histogram");
  for (const [ep, byStatus] of rm.requests)
    for (const [st, h] of byStatus)
      histogramLines(
        out,
        "encore_request_duration_seconds",
        [
          ["endpoint", ep],
          ["code", String(st)],
        ],
        h,
      );

  out.push(
    "# HELP encore_pubsub_delivery_latency_seconds Time from publish to successful handling, by subscription.",
    "# TYPE encore_pubsub_delivery_latency_seconds histogram",
  );
  for (const [sub, h] of rm.deliveries) histogramLines(out, "encore_pubsub_delivery_latency_seconds", [["subscription", sub]], h);
  out.push("# HELP encore_pubsub_handler_failures_total Failed handler runs, by subscription.", "# TYPE encore_pubsub_handler_failures_total counter");
  for (const [sub, n] of rm.deliveryFailures) out.push(`encore_pubsub_handler_failures_total${labelText([["subscription", sub]])} ${n}`);

  out.push("# HELP encore_cron_runs_total Cron job runs in this process, by job and outcome.", "# TYPE encore_cron_runs_total counter");
  for (const [job, m] of rm.cronRuns)
    for (const [outcome, n] of m)
      out.push(
        `encore_cron_runs_total${labelText([
          ["job", job],
          ["outcome", outcome],
        ])} ${n}`,
      );

  for (const g of await rm.gather()) {
    out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} ${g.type}`);
    for (const s of g.samples) out.push(`${g.name}${labelText(s.labels)} ${num(s.value)}`);
  }
  return `${out.join("\n")}\n`;
}
