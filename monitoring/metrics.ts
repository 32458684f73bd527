// What operators watch on monitoring (exported at /metrics): ingest rate and detector lag.
import { Counter, Gauge } from "encore.dev/metrics";

/** Mentions stored by ingest (public API, pollers, demo feed); its rate is the ingest rate. */
export const mentionsIngested = new Counter("monitoring_mentions_ingested");
/** Mentions refused as duplicates of ones already stored. */
export const mentionsDuplicate = new Counter("monitoring_mentions_duplicate");
/** Seconds between a batch's ingest and the detector's run over it (the latest run's oldest batch). */
export const detectorLag = new Gauge("monitoring_detector_lag_seconds");
