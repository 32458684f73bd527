// The native runtime's MetricsRegistry: slots in a shared buffer of counters/gauges. Our runtime
// allocates slots so the SDK's metrics API works; values are not exported anywhere yet.
export enum MetricType {
  Counter = "Counter",
  Gauge = "Gauge",
}

export class MetricsRegistry {
  private readonly slots = new Map<string, number>();
  constructor(readonly buffer: object) {}

  allocateSlot(name: string, labels: Array<[string, string]>, serviceName: string | undefined | null, metricType: MetricType): number {
    const key = JSON.stringify([name, labels, serviceName ?? null, metricType]);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(key, slot);
    }
    return slot;
  }

  slotCount(): number {
    return this.slots.size;
  }
}
