// A metric declared outside any service: the SDK attributes it to the calling request's service.
import { Counter } from "encore.dev/metrics";
export const sharedCalls = new Counter("shared_calls");
