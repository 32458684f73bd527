// intelligence's configuration: every secret it reads, read only here. Without OPENAI_API_KEY the
// assistant runs offline (intent matching over the same tools); a missing setting reads as "".
import { secret } from "encore.dev/config";
import { intSecret, readSecret } from "../shared/secrets";
import { countedCache } from "../shared/cache/counted";
export type { CacheHealth } from "../shared/cache/counted";
import { DEFAULT_LIMITS, type FileLimits } from "./domain/limits";
import { databaseName } from "./store";

const openaiApiKey = secret("OPENAI_API_KEY");
// An OpenAI-compatible endpoint (Azure, a proxy, a local model server); default api.openai.com.
const openaiBaseUrl = secret("OPENAI_BASE_URL");
const openaiModel = secret("OPENAI_MODEL");
// Milliseconds one model call may take before the assistant answers offline (default 20000).
const openaiTimeoutMs = secret("OPENAI_TIMEOUT_MS");
// Chat and analysis requests a user may make in a burst, and per minute after it (default 20 / 20).
const rateBurst = secret("INTELLIGENCE_RATE_BURST");
const ratePerMinute = secret("INTELLIGENCE_RATE_PER_MINUTE");
// Bounds on uploaded files while their text is extracted (domain/limits.ts; defaults there and below).
const docMaxExpandedMb = secret("DOCUMENT_MAX_EXPANDED_MB");
const docMaxRatio = secret("DOCUMENT_MAX_COMPRESSION_RATIO");
const docMaxTextChars = secret("DOCUMENT_MAX_TEXT_CHARS");
const docMaxPages = secret("DOCUMENT_MAX_PAGES");
const docTimeoutMs = secret("DOCUMENT_EXTRACT_TIMEOUT_MS");
// The shared cache holding the rate-limit counters (one budget per user across processes); empty: in-process.
const redisUrl = secret("REDIS_URL");

export const DEFAULT_MODEL = "gpt-4o-mini";

/** How the assistant reaches the model; apiKey "" means offline. */
export interface ModelConfig {
  apiKey: string;
  baseURL: string | undefined;
  model: string;
  timeoutMs: number;
}

export function modelConfig(): ModelConfig {
  return {
    apiKey: readSecret(openaiApiKey),
    baseURL: readSecret(openaiBaseUrl) || undefined,
    model: readSecret(openaiModel) || DEFAULT_MODEL,
    timeoutMs: intSecret(openaiTimeoutMs, 20_000, 100, 300_000),
  };
}

/** The per-user rate limit of chat and analyses. */
export function rateLimit(): { burst: number; perMinute: number } {
  return { burst: intSecret(rateBurst, 20, 1, 10_000), perMinute: intSecret(ratePerMinute, 20, 1, 100_000) };
}

/** The limits of text extraction, and how long one file's extraction may take. */
export function documentLimits(): { limits: FileLimits; timeoutMs: number } {
  const d = DEFAULT_LIMITS;
  return {
    limits: {
      maxExpandedBytes: intSecret(docMaxExpandedMb, d.maxExpandedBytes / (1024 * 1024), 1, 4096) * 1024 * 1024,
      maxRatio: intSecret(docMaxRatio, d.maxRatio, 2, 100_000),
      maxTextChars: intSecret(docMaxTextChars, d.maxTextChars, 1000, 100_000_000),
      maxPages: intSecret(docMaxPages, d.maxPages, 1, 1_000_000),
      maxEntries: d.maxEntries,
    },
    timeoutMs: intSecret(docTimeoutMs, 120_000, 100, 3_600_000),
  };
}

/**
 * intelligence's cache, namespaced by the database's name so that deployments (and test databases)
 * sharing one Redis never see each other's keys. Its failures are counted (the rate limiter falls
 * back to this process's buckets on a failure); the log is rate-limited.
 */
export const intelligenceCache = countedCache(
  async () => ({ redisUrl: readSecret(redisUrl), namespace: `warroom:${await databaseName()}:intelligence` }),
  "intelligence cache unavailable: rate limits are counted per process meanwhile",
);
