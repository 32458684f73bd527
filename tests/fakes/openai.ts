// A fake OpenAI Chat Completions API: POST /v1/chat/completions with the real request and response
// shapes (messages, tools, tool_calls, finish_reason, usage), OpenAI's error body, Bearer auth.
// Every request is recorded (parsed in `completions`) so tests assert on what the app sent: the
// tool definitions, the tool results, where each text was placed. Faults (5xx, 429, a hang) come
// from provider-faults; `script` replaces the default behaviour for the next requests.
//
// The default behaviour is a tiny deterministic "model": after tool results it answers with the
// figures it found in them; otherwise, when tools are offered, it calls the one the question names
// (sentiment, negative mentions, crises/alerts, metrics, documents/search); else it answers in text.
// Structured outputs (`response_format: {type: "json_schema", json_schema: {name, strict, schema}}`)
// are checked as the real API checks them (a strict schema needs every property required and
// additionalProperties: false, else 400), and the default model answers the document analyses
// (sentiment_analysis, entities_analysis, claims_analysis, risk_analysis) with JSON built from the
// read_document tool result by simple word rules, following the schema.
import type { ServerResponse } from "node:http";
import { json, startFake, type FakeServer, type RecordedRequest } from "./provider-faults";

export const FAKE_OPENAI_KEY = "sk-fake-openai-key-for-tests";

/** A message as the app sends it. */
export interface SentMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

/** A Chat Completions request as the fake received it. */
export interface CompletionRequest {
  model: string;
  messages: SentMessage[];
  tools?: { type: "function"; function: { name: string; description?: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  [key: string]: unknown;
}

/** What the fake model answers: text (optionally cut off by the length limit, or a refusal), or tool calls. */
export type ScriptedReply =
  | { content: string; finishReason?: "stop" | "length" }
  | { refusal: string }
  | { toolCalls: { name: string; arguments: Record<string, unknown> }[] };

/** A request's `response_format` when it asks for structured output. */
export interface JsonSchemaFormat {
  type: "json_schema";
  json_schema: { name: string; description?: string; strict?: boolean; schema: Record<string, unknown> };
}

/** The request's structured-output format, if it asked for one. */
export function jsonSchemaOf(req: CompletionRequest): JsonSchemaFormat | null {
  const f = req.response_format as { type?: string } | undefined;
  return f && f.type === "json_schema" ? (f as JsonSchemaFormat) : null;
}

/** Why the real API would reject a strict schema (every object: all properties required, additionalProperties false), or null. */
export function strictSchemaProblem(schema: unknown, path = "schema"): string | null {
  if (typeof schema !== "object" || schema === null) return `${path} is not a schema object`;
  const s = schema as Record<string, unknown>;
  if (s.type === "object") {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    if (s.additionalProperties !== false) return `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    const missing = Object.keys(props).filter((k) => !required.includes(k));
    if (missing.length)
      return `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const [k, v] of Object.entries(props)) {
      const p = strictSchemaProblem(v, `${path}, 'properties', '${k}'`);
      if (p) return p;
    }
  } else if (s.type === "array") {
    return strictSchemaProblem(s.items, `${path}, 'items'`);
  } else if (!["string", "number", "integer", "boolean", "null"].includes(String(s.type))) {
    return `In context=(${path}), schema must have a 'type' key.`;
  }
  return null;
}

interface DocumentPassage {
  position: number;
  heading: string;
  untrustedText: string;
}

/** The passages of the read_document tool result in the request, if any. */
export function documentPassages(req: CompletionRequest): DocumentPassage[] | null {
  for (const m of req.messages) {
    if (m.role !== "tool") continue;
    try {
      const data = JSON.parse(m.content ?? "");
      if (Array.isArray(data.passages)) return data.passages as DocumentPassage[];
    } catch {
      // not JSON: not the document
    }
  }
  return null;
}

const sentencesOf = (text: string) =>
  text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"])/)
    .filter((x) => x.trim());
const GOOD = /\b(praise|strong|success|successful|support|great|good|proud)\b/i;
const BAD = /\b(lawsuit|investigation|scandal|failed|flip-flopped|against|attack|disgrace)\b/i;

/** The default model's structured answer for the document analyses, following their schemas. */
export function defaultAnalysis(name: string, passages: DocumentPassage[]): Record<string, unknown> | null {
  const all = passages.flatMap((p) => sentencesOf(p.untrustedText).map((text) => ({ position: p.position, text })));
  const good = all.filter((x) => GOOD.test(x.text) && !BAD.test(x.text));
  const bad = all.filter((x) => BAD.test(x.text));
  switch (name) {
    case "sentiment_analysis": {
      const score = all.length ? Math.round(((good.length - bad.length) / all.length) * 1000) / 1000 : 0;
      return {
        score,
        label: score > 0 ? "positive" : score < 0 ? "negative" : "neutral",
        positiveSentences: good.length,
        negativeSentences: bad.length,
        byPassage: passages.map((p) => {
          const own = all.filter((x) => x.position === p.position);
          const s = own.length ? (own.filter((x) => good.includes(x)).length - own.filter((x) => bad.includes(x)).length) / own.length : 0;
          return { position: p.position, score: Math.round(s * 1000) / 1000 };
        }),
        mostNegative: bad.slice(0, 3).map((x) => ({ position: x.position, quote: x.text })),
        mostPositive: good.slice(0, 3).map((x) => ({ position: x.position, quote: x.text })),
      };
    }
    case "entities_analysis": {
      const names = new Map<string, string>();
      for (const x of all)
        for (const m of x.text.matchAll(/\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b/g)) names.set(m[0], m[0].split(" ").length === 2 ? "person" : "organization");
      return { entities: [...names].map(([n, type]) => ({ name: n, type })) };
    }
    case "claims_analysis":
      return {
        claims: all
          .filter((x) => /\d/.test(x.text))
          .map((x) => ({ quote: x.text, position: x.position, kinds: /\b(19|20)\d\d\b/.test(x.text) ? ["date"] : ["statistic"] })),
      };
    case "risk_analysis": {
      const risks = bad.map((x) => ({
        category: /lawsuit|investigation/i.test(x.text) ? "legal" : /flip-flopped/i.test(x.text) ? "policy_reversal" : "performance",
        severity: /lawsuit|investigation/i.test(x.text) ? "high" : "medium",
        quote: x.text,
        position: x.position,
        signals: [x.text.match(BAD)![0].toLowerCase()],
      }));
      return { riskLevel: risks.some((r) => r.severity === "high") ? "high" : risks.length ? "medium" : "low", score: Math.min(1, risks.length / 4), risks };
    }
  }
  return null;
}

export interface FakeOpenAI extends FakeServer {
  /** OPENAI_BASE_URL for the app (…/v1). */
  baseUrl: string;
  /** Every well-formed completion request, in order. */
  completions: CompletionRequest[];
  /** Answers the next requests from this function instead of the default model (null: back to default). */
  script(fn: ((req: CompletionRequest) => ScriptedReply) | null): void;
}

let callCounter = 0;

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** The default model: a tool when the question names one, then an answer from the tool results. */
export function defaultModel(req: CompletionRequest): ScriptedReply {
  const format = jsonSchemaOf(req);
  if (format) {
    const passages = documentPassages(req);
    const answer = passages ? defaultAnalysis(format.json_schema.name, passages) : null;
    return { content: JSON.stringify(answer ?? {}) };
  }
  const last = req.messages[req.messages.length - 1]!;
  if (last.role === "tool") {
    const parts: string[] = [];
    for (let i = req.messages.length - 1; i >= 0 && req.messages[i]!.role === "tool"; i--) {
      let data: Record<string, any>;
      try {
        data = JSON.parse(req.messages[i]!.content ?? "{}");
      } catch {
        continue;
      }
      if (Array.isArray(data.passages)) return { content: `Model summary of ${data.filename}: ${data.passages.length} passage(s).` };
      if (typeof data.average === "number" && typeof data.mentions === "number")
        parts.push(`average sentiment ${data.average} across ${data.mentions} mentions (${data.negative} negative) in the last ${data.hours} h`);
      else if (Array.isArray(data.openCrises)) parts.push(`${data.openCrises.length} open crises and ${data.openAlerts.length} open alerts`);
      else if (Array.isArray(data.results)) parts.push(`${data.results.length} knowledge-base results`);
      else if (Array.isArray(data.mentions)) parts.push(`${data.mentions.length} negative mentions`);
      else if (data.campaign) parts.push(`${data.campaign.metrics.impressions} impressions on a budget of ${data.campaign.budget}`);
      else if (data.error) parts.push(`no data (${data.error})`);
    }
    return { content: `From the platform's data: ${parts.reverse().join("; ")}.` };
  }
  const question = [...req.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const offered = new Set((req.tools ?? []).map((t) => t.function.name));
  const w = new Set(words(question));
  const call = (name: string, args: Record<string, unknown> = {}): ScriptedReply | null =>
    offered.has(name) && req.tool_choice !== "none" ? { toolCalls: [{ name, arguments: args }] } : null;
  let reply: ScriptedReply | null = null;
  if (w.has("sentiment")) reply = call("get_sentiment", { hours: 24 });
  else if (w.has("negative") || w.has("attacks")) reply = call("get_top_negative_mentions", { hours: 24, limit: 3 });
  else if (w.has("crisis") || w.has("crises") || w.has("alerts")) reply = call("get_open_crises_and_alerts");
  else if (w.has("metrics") || w.has("impressions")) reply = call("get_campaign_metrics");
  else if (w.has("documents") || w.has("search") || w.has("document")) {
    const query = words(question)
      .filter((x) => !["what", "do", "the", "documents", "document", "say", "about", "search", "for", "our"].includes(x))
      .join(" ");
    reply = call("search_knowledge_base", { query: query || "campaign" });
  }
  return reply ?? { content: "I can help with your campaign's data." };
}

function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function answer(res: ServerResponse, req: CompletionRequest, reply: ScriptedReply): void {
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = estimate(JSON.stringify(req.messages) + JSON.stringify(req.tools ?? []));
  if ("toolCalls" in reply) {
    const toolCalls = reply.toolCalls.map((c) => ({
      id: `call_${++callCounter}`,
      type: "function" as const,
      function: { name: c.name, arguments: JSON.stringify(c.arguments) },
    }));
    const completionTokens = estimate(JSON.stringify(toolCalls));
    json(res, 200, {
      id: `chatcmpl-fake-${callCounter}`,
      object: "chat.completion",
      created,
      model: req.model,
      choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: toolCalls, refusal: null }, logprobs: null, finish_reason: "tool_calls" }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
    return;
  }
  if ("refusal" in reply) {
    const completionTokens = estimate(reply.refusal);
    json(res, 200, {
      id: `chatcmpl-fake-${++callCounter}`,
      object: "chat.completion",
      created,
      model: req.model,
      choices: [{ index: 0, message: { role: "assistant", content: null, refusal: reply.refusal }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
    return;
  }
  const completionTokens = estimate(reply.content);
  json(res, 200, {
    id: `chatcmpl-fake-${++callCounter}`,
    object: "chat.completion",
    created,
    model: req.model,
    choices: [{ index: 0, message: { role: "assistant", content: reply.content, refusal: null }, logprobs: null, finish_reason: reply.finishReason ?? "stop" }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  });
}

const error = (res: ServerResponse, status: number, message: string, type: string, code: string | null) =>
  json(res, status, { error: { message, type, param: null, code } });

/** Starts the fake on 127.0.0.1 (port 0). */
export async function startFakeOpenAI(apiKey = FAKE_OPENAI_KEY): Promise<FakeOpenAI> {
  const completions: CompletionRequest[] = [];
  let scripted: ((req: CompletionRequest) => ScriptedReply) | null = null;
  const fake = await startFake((raw: RecordedRequest, res) => {
    if (raw.method !== "POST" || raw.path !== "/v1/chat/completions")
      return error(res, 404, `Unknown request URL: ${raw.method} ${raw.path}`, "invalid_request_error", "unknown_url");
    if (raw.headers.authorization !== `Bearer ${apiKey}`) return error(res, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    let req: CompletionRequest;
    try {
      req = JSON.parse(raw.body);
    } catch {
      return error(res, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
    }
    if (typeof req.model !== "string" || !Array.isArray(req.messages) || req.messages.length === 0)
      return error(res, 400, "'messages' and 'model' are required.", "invalid_request_error", null);
    // As the real API: every tool message must answer a tool call of the assistant message before it.
    const pending = new Set<string>();
    for (const m of req.messages) {
      if (m.role === "assistant") for (const c of m.tool_calls ?? []) pending.add(c.id);
      if (m.role === "tool" && !pending.delete(m.tool_call_id ?? ""))
        return error(res, 400, "messages with role 'tool' must be a response to a preceding message with 'tool_calls'.", "invalid_request_error", null);
    }
    // As the real API: a json_schema response format needs a valid name and schema; strict schemas are checked.
    const format = req.response_format as { type?: string; json_schema?: { name?: unknown; strict?: unknown; schema?: unknown } } | undefined;
    if (format !== undefined && !["text", "json_object", "json_schema"].includes(String(format?.type)))
      return error(res, 400, "Invalid value for 'response_format.type'.", "invalid_request_error", "invalid_value");
    if (format?.type === "json_schema") {
      const js = format.json_schema;
      if (!js || typeof js.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(js.name))
        return error(res, 400, "Missing or invalid 'response_format.json_schema.name'.", "invalid_request_error", "invalid_value");
      const problem =
        js.strict === true ? strictSchemaProblem(js.schema) : typeof js.schema === "object" && js.schema !== null ? null : "schema must be an object";
      if (problem) return error(res, 400, `Invalid schema for response_format '${js.name}': ${problem}`, "invalid_request_error", "invalid_json_schema");
    }
    completions.push(req);
    answer(res, req, (scripted ?? defaultModel)(req));
  });
  return {
    ...fake,
    baseUrl: `${fake.url}/v1`,
    completions,
    script(fn) {
      scripted = fn;
    },
  };
}
