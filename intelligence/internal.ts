// intelligence's private endpoints: the compliance contract (shared/retention.ts): retention purges
// of chat messages and documents, and a person's erasure (chats, uploads, token records). Deleted
// documents' files leave the bucket before either answers: when that fails the call fails, and
// compliance's retry (or the move job) removes what is left.
import { api, APIError } from "encore.dev/api";
import type { ErasureRequest, ErasureResult, PurgeRequest, PurgeResult } from "../shared/retention";
import { storageUnavailable } from "../shared/objects";
import { audit } from "./audit";
import { removeDeletedFiles } from "./flows/document-files";
import * as store from "./store";

async function removeFiles(): Promise<void> {
  try {
    await removeDeletedFiles();
  } catch (err) {
    throw storageUnavailable(err, "removing deleted documents' files");
  }
}

// purgeRetention deletes the rows of one of intelligence's data classes older than `before` (idempotent).
export const purgeRetention = api(
  { expose: false, method: "POST", path: "/internal/intelligence/retention/purge" },
  async ({ dataClass, before }: PurgeRequest): Promise<PurgeResult> => {
    if (!(before instanceof Date) || Number.isNaN(before.getTime())) throw APIError.invalidArgument("before must be a time");
    let deleted: number;
    if (dataClass === "chat_messages") deleted = await store.purgeChatMessages(before);
    else if (dataClass === "documents") deleted = await store.purgeDocuments(before);
    else throw APIError.invalidArgument(`intelligence does not hold ${dataClass}`);
    if (deleted > 0)
      await audit({ actorId: "system", action: "retention.purged", targetType: dataClass, targetId: "", details: { before: before.toISOString(), deleted } });
    if (dataClass === "documents") await removeFiles();
    return { dataClass, deleted };
  },
);

// eraseUser deletes a person's chats, uploads (with passages and analyses) and token records (idempotent).
export const eraseUser = api(
  { expose: false, method: "POST", path: "/internal/intelligence/erasure" },
  async ({ requestId, userId }: ErasureRequest): Promise<ErasureResult> => {
    if (!userId.trim()) throw APIError.invalidArgument("userId is empty");
    const erased = await store.eraseUser(userId);
    await audit({ actorId: "system", action: "user.erased", targetType: "user", targetId: userId, details: { requestId, erased } });
    await removeFiles();
    return { service: "intelligence", erased };
  },
);
