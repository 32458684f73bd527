import { api } from "encore.dev/api";
import { Counter, CounterGroup, Gauge, GaugeGroup } from "encore.dev/metrics";
import { sharedCalls } from "../lib/metrics";

export const widgetsMade = new Counter("widgets_made");
interface KindLabels {
  color: string;
  big: boolean;
}
export const widgetsByKind = new CounterGroup<KindLabels>("widgets_by_kind");
export const queueDepth = new Gauge("widget_queue_depth");
export const temperature = new GaugeGroup<{ room: string }>("room_temperature");
export const heartbeats = new Counter("meter_heartbeats");

// Outside any request: the runtime must still attribute these to this service.
setInterval(() => heartbeats.increment(), 100).unref();

export const make = api(
  { expose: true, method: "POST", path: "/meter/make" },
  async (p: { count: number; color: string; big: boolean; depth: number }): Promise<{ ok: boolean }> => {
    widgetsMade.increment(p.count);
    widgetsByKind.with({ color: p.color, big: p.big }).increment(p.count);
    queueDepth.set(p.depth);
    temperature.with({ room: p.color }).set(p.depth / 2);
    sharedCalls.increment();
    return { ok: true };
  },
);
