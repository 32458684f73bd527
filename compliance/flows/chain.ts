// Verifying the audit log's hash chain: pages through it in chain order (keyset on chain_seq), judging each entry.
import { ChainVerifier } from "../domain/chain";
import type { AuditChainVerification } from "../model";
import * as store from "../store";

const PAGE = 5000;

/** Walks the whole chain and reports the first broken link (or none). */
export async function verifyChain(): Promise<AuditChainVerification> {
  const started = Date.now();
  await store.chainPendingRows();
  const verifier = new ChainVerifier();
  const head = await store.chainHead();
  // The next page is fetched while this one is hashed.
  let next = store.chainPage(0, PAGE);
  for (;;) {
    const page = await next;
    if (page.length === PAGE) next = store.chainPage(page[page.length - 1]!.seq, PAGE);
    for (const e of page) verifier.add(e);
    if (page.length < PAGE) break;
  }
  verifier.finish(head);
  const b = verifier.firstBreak;
  return {
    valid: b === null,
    checked: verifier.checked,
    redacted: verifier.redacted,
    headSeq: head?.seq ?? 0,
    ...(b ? { firstBroken: { seq: b.seq, logId: b.logId, reason: b.reason, message: b.message } } : {}),
    verifiedAt: new Date(),
    durationMs: Date.now() - started,
  };
}
