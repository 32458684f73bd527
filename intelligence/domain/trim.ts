// Keeping a conversation inside the model's budget: the newest messages that fit, oldest dropped
// first. Tokens are estimated (about four characters per token, plus a few per message for the
// role framing), which errs on the side of sending less.

/** A message of the conversation as the model sees it. */
export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
}

/** Overhead of one message's framing, in tokens. */
const PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + PER_MESSAGE;
}

/**
 * The newest messages whose estimated tokens fit `budget`, oldest first. The newest message is always
 * kept (cut to the budget if it alone is too long), and the kept history never starts with an
 * assistant reply (its question was dropped).
 */
export function trimHistory(messages: HistoryMessage[], budget: number): { kept: HistoryMessage[]; dropped: number; tokens: number } {
  const kept: HistoryMessage[] = [];
  let tokens = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    const cost = estimateTokens(m.content);
    if (kept.length === 0 && cost > budget) {
      const chars = Math.max(0, (budget - PER_MESSAGE) * 4);
      kept.unshift({ role: m.role, content: m.content.slice(m.content.length - chars) });
      tokens = budget;
      break;
    }
    if (tokens + cost > budget) break;
    kept.unshift(m);
    tokens += cost;
  }
  while (kept.length > 1 && kept[0]!.role === "assistant") tokens -= estimateTokens(kept.shift()!.content);
  return { kept, dropped: messages.length - kept.length, tokens };
}
