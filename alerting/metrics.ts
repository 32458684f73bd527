// What operators watch on alerting (exported at /metrics): delivery latency by channel, failures,
// open incidents. Latency is a sum and a count, so rate(sum) / rate(count) is the average.
import { CounterGroup, Gauge } from "encore.dev/metrics";

interface ChannelLabels {
  channel: string;
}

/** Deliveries sent, by channel. */
export const deliveriesSent = new CounterGroup<ChannelLabels>("alerting_deliveries_sent");
/** Milliseconds from the alert's creation to each sent delivery, summed by channel. */
export const deliveryLatencyMs = new CounterGroup<ChannelLabels>("alerting_delivery_latency_ms_sum");
/** Delivery attempts that failed (retried or given up), by channel. */
export const deliveryFailures = new CounterGroup<ChannelLabels>("alerting_delivery_failures");
/** Incidents open (not acknowledged, resolved or a false alarm), as of the last sweep. */
export const openIncidents = new Gauge("alerting_open_incidents");
