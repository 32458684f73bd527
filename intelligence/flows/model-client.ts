// The AI model as intelligence calls it, for the assistant and the document analyses alike: the
// OpenAI client (settings from secrets.ts; our own timeout, no SDK retries), the one circuit breaker
// of this process, token accounting, and structured (JSON schema) completions. Callers fall back to
// their offline engines whenever the model is not configured, its circuit is open or a call fails.
import log from "encore.dev/log";
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { AuthData } from "~encore/auth";
import { CircuitBreaker, systemClock, timeoutSignal } from "../../shared/resilience";
import { modelConfig, type ModelConfig } from "../secrets";
import * as store from "../store";

// One breaker for the model in this process: after three failures in a row, 30 s of offline answers.
const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 30_000, clock: systemClock });

/** The model circuit's state (health, tests). */
export function modelCircuit(): ReturnType<CircuitBreaker["snapshot"]> {
  return breaker.snapshot();
}

let cached: { key: string; client: OpenAI } | null = null;

/** The OpenAI client for these settings (one per process, rebuilt when they change). */
export function modelClient(cfg: ModelConfig): OpenAI {
  const key = `${cfg.apiKey}|${cfg.baseURL ?? ""}|${cfg.timeoutMs}`;
  if (!cached || cached.key !== key) {
    // Our own timeout and breaker decide; the SDK must not retry behind them.
    cached = { key, client: new OpenAI({ apiKey: cfg.apiKey, baseURL: cfg.baseURL, timeout: cfg.timeoutMs, maxRetries: 0 }) };
  }
  return cached.client;
}

/** Whether a failed call says the provider is unwell (trips the breaker) rather than that our request was wrong. */
function providerFault(err: unknown): boolean {
  if (err instanceof OpenAI.APIError && typeof err.status === "number") return err.status >= 500 || err.status === 429 || err.status === 408;
  return true; // connection errors, timeouts, aborted calls, malformed answers
}

/** Whether a model call may go ahead now (false while the circuit is open); a true is followed by modelSucceeded or modelFailed. */
export function modelAvailable(): boolean {
  return breaker.tryAcquire();
}

/** Records a model call that answered. */
export function modelSucceeded(): void {
  breaker.onSuccess();
}

/** Records a model call that failed (a provider fault counts towards opening the circuit); returns the error's message. */
export function modelFailed(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (providerFault(err)) breaker.onFailure(message);
  else breaker.onNeutral();
  return message;
}

/** Records the tokens a completion used, per user (`token_usage`). */
export async function recordModelUsage(
  caller: NonNullable<AuthData>,
  sessionId: string | null,
  purpose: "chat" | "analysis",
  completion: OpenAI.Chat.Completions.ChatCompletion,
  cfg: ModelConfig,
): Promise<void> {
  if (!completion.usage) return;
  await store.recordUsage({
    userId: caller.userID,
    sessionId,
    purpose,
    model: completion.model || cfg.model,
    promptTokens: completion.usage.prompt_tokens,
    completionTokens: completion.usage.completion_tokens,
    totalTokens: completion.usage.total_tokens,
  });
}

/** A structured answer's text, or why there is none (the caller then uses the heuristic engine). */
export type StructuredAnswer = { ok: true; content: string } | { ok: false; reason: string };

/**
 * One Chat Completions call answered with JSON following `responseFormat` (structured outputs), for
 * the document analyses. The same model settings, timeout, breaker and token accounting as the
 * assistant; never throws for a model failure.
 */
export async function structuredCompletion(
  caller: NonNullable<AuthData>,
  messages: ChatCompletionMessageParam[],
  responseFormat: OpenAI.ResponseFormatJSONSchema,
): Promise<StructuredAnswer> {
  const cfg = modelConfig();
  if (!cfg.apiKey) return { ok: false, reason: "no AI model is configured" };
  if (!modelAvailable()) return { ok: false, reason: "the AI model is unavailable (circuit open)" };
  const { signal, clear } = timeoutSignal(cfg.timeoutMs);
  try {
    const completion = await modelClient(cfg).chat.completions.create(
      { model: cfg.model, messages, temperature: 0, response_format: responseFormat },
      { signal, timeout: cfg.timeoutMs, maxRetries: 0 },
    );
    modelSucceeded();
    await recordModelUsage(caller, null, "analysis", completion, cfg);
    const choice = completion.choices?.[0];
    if (choice?.message?.refusal) return { ok: false, reason: "the AI model refused" };
    if (choice?.finish_reason === "length") return { ok: false, reason: "the AI model's answer was cut off" };
    const content = choice?.message?.content;
    return content ? { ok: true, content } : { ok: false, reason: "the AI model gave an empty answer" };
  } catch (err) {
    const message = modelFailed(err);
    log.warn("the AI model failed to analyse; using the heuristic engine", { error: message });
    return { ok: false, reason: "the AI model did not answer" };
  } finally {
    clear();
  }
}
