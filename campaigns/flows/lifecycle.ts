// campaigns' changes: each one checked by the domain rules, written by the store, then audited and
// the cache invalidated. Callers (api.ts) have already checked who may make them.
import { APIError } from "encore.dev/api";
import { auth } from "~encore/clients";
import type { MemberRole } from "../../shared/access";
import { isRole } from "../../shared/permissions";
import { audit } from "../audit";
import { isUuid } from "../../shared/ids";
import { applyPatch, newCampaign, type RuleViolation } from "../domain/campaign";
import { contactPreferences } from "../domain/contacts";
import { initialMetrics } from "../domain/metrics";
import { MAX_CONTACTS, normalizeAddress } from "../domain/contacts";
import { MAX_KEYWORDS, normalizeKeywords } from "../domain/keywords";
import { memberRoleError, teamChangeError } from "../domain/members";
import type {
  AddContactRequest,
  AddKeywordsRequest,
  AddMemberRequest,
  AlertContact,
  Campaign,
  CampaignKeyword,
  CampaignMember,
  CreateCampaignRequest,
  TargetAudience,
  UpdateCampaignRequest,
} from "../model";
import * as reads from "./reads";
import * as store from "../store";

/** A domain refusal as Encore's error. */
function refuse(v: RuleViolation): APIError {
  return v.code === "failed_precondition" ? APIError.failedPrecondition(v.message) : APIError.invalidArgument(v.message);
}

/** Maps the store's typed errors to Encore's; anything else goes up unchanged. */
function storeError(err: unknown): unknown {
  if (err instanceof store.CampaignNotFoundError) return APIError.notFound("campaign not found");
  if (err instanceof store.LimitError) return APIError.failedPrecondition(err.message);
  if (err instanceof store.DuplicateContactError) return APIError.alreadyExists(err.message);
  return err;
}

async function committed(entry: Parameters<typeof audit>[0]): Promise<void> {
  await reads.invalidate();
  await audit(entry);
}

// --- campaigns ---

/** Creates a draft campaign with empty metrics (each figure absent with its reason); its creator becomes its manager. */
export async function createCampaign(actorId: string, req: CreateCampaignRequest): Promise<Campaign> {
  const checked = newCampaign<TargetAudience>(req);
  if (!checked.ok) throw refuse(checked);
  const { metrics, detail } = initialMetrics(new Date());
  const campaign = await store.createCampaign(checked.fields, metrics, actorId, detail);
  await committed({
    actorId,
    action: "campaign.created",
    targetType: "campaign",
    targetId: campaign.id,
    details: { name: campaign.name, status: campaign.status },
  });
  return campaign;
}

/** Applies a partial update (status transitions checked against the committed status). 404 when the campaign is gone. */
export async function updateCampaign(actorId: string, req: UpdateCampaignRequest): Promise<Campaign> {
  const { id, ...patch } = req;
  const result = await store.updateCampaign(id, (current) => {
    const decided = applyPatch<TargetAudience>(current, patch);
    if (!decided.ok) throw refuse(decided);
    return decided;
  });
  if (!result) throw APIError.notFound("campaign not found");
  if (Object.keys(result.decision.changed).length > 0) {
    const action = result.decision.changed.status ? "campaign.status_changed" : "campaign.updated";
    await committed({ actorId, action, targetType: "campaign", targetId: id, details: { changes: result.decision.changed } });
  }
  return result.after;
}

// --- keywords ---

/** Adds keywords (an existing one gets the new weight); returns all of the campaign's keywords. */
export async function addKeywords(actorId: string, req: AddKeywordsRequest): Promise<CampaignKeyword[]> {
  const checked = normalizeKeywords(req.keywords);
  if (!checked.ok) throw APIError.invalidArgument(checked.message);
  const keywords = await store.upsertKeywords(req.id, checked.keywords, MAX_KEYWORDS).catch((err) => Promise.reject(storeError(err)));
  await committed({ actorId, action: "campaign.keywords_added", targetType: "campaign", targetId: req.id, details: { keywords: checked.keywords } });
  return keywords;
}

/** Removes one keyword (404 when the campaign has no such keyword). */
export async function deleteKeyword(actorId: string, campaignId: string, keywordId: string): Promise<void> {
  const removed = isUuid(keywordId) ? await store.deleteKeyword(campaignId, keywordId) : null;
  if (!removed) throw APIError.notFound("keyword not found");
  await committed({
    actorId,
    action: "campaign.keyword_removed",
    targetType: "campaign",
    targetId: campaignId,
    details: { keywordId, keyword: removed.keyword },
  });
}

// --- alert contacts ---

/** Adds an alert contact after checking the address against its channel (409 for a duplicate). */
export async function addContact(actorId: string, req: AddContactRequest): Promise<AlertContact> {
  const address = normalizeAddress(req.channel, req.address);
  if (!address.ok) throw APIError.invalidArgument(address.message);
  const name = req.name.trim();
  if (name === "") throw APIError.invalidArgument("name cannot be blank");
  const prefs = contactPreferences(req);
  if (!prefs.ok) throw APIError.invalidArgument(prefs.message);
  const contact = await store
    .addContact(req.id, { name, channel: req.channel, address: address.address, minSeverity: req.minSeverity ?? "HIGH", ...prefs.preferences }, MAX_CONTACTS)
    .catch((err) => Promise.reject(storeError(err)));
  // Contact details are personal data: the audit log records that a contact was added, not the number.
  await committed({
    actorId,
    action: "campaign.contact_added",
    targetType: "campaign",
    targetId: req.id,
    details: { contactId: contact.id, channel: contact.channel },
  });
  return contact;
}

/** Removes one alert contact (404 when the campaign has no such contact). */
export async function deleteContact(actorId: string, campaignId: string, contactId: string): Promise<void> {
  const removed = isUuid(contactId) ? await store.deleteContact(campaignId, contactId) : null;
  if (!removed) throw APIError.notFound("contact not found");
  await committed({
    actorId,
    action: "campaign.contact_removed",
    targetType: "campaign",
    targetId: campaignId,
    details: { contactId, channel: removed.channel },
  });
}

// --- members ---

/** The platform role of a live user, or 400 when there is no such user. */
async function platformRoleOf(userId: string) {
  if (!isUuid(userId)) throw APIError.invalidArgument(`no user with id ${userId}`);
  try {
    const account = await auth.getAccount({ id: userId });
    if (!isRole(account.role)) throw APIError.invalidArgument(`user ${userId} has no known role`);
    return account.role;
  } catch (err) {
    if (err instanceof APIError && err.code === "not_found") throw APIError.invalidArgument(`no user with id ${userId}`);
    throw err;
  }
}

function teamCheck(after: MemberRole | null) {
  return (managers: number, before: MemberRole | null) => {
    const refused = teamChangeError(managers, before, after);
    if (refused) throw APIError.failedPrecondition(refused);
  };
}

/** Adds a user to the campaign's team, or changes a member's role (a campaign always keeps a manager). */
export async function setMember(actorId: string, req: AddMemberRequest): Promise<CampaignMember> {
  const role = req.role ?? "member";
  const refused = memberRoleError(await platformRoleOf(req.userId), role);
  if (refused) throw APIError.failedPrecondition(refused);
  const { member, before } = await store.setMember(req.id, req.userId, role, actorId, teamCheck(role)).catch((err) => Promise.reject(storeError(err)));
  if (before !== role) {
    await committed({
      actorId,
      action: before === null ? "campaign.member_added" : "campaign.member_role_changed",
      targetType: "campaign",
      targetId: req.id,
      details: { userId: req.userId, before, after: role },
    });
  }
  return member;
}

/** Removes a member (404 when the user is not on the team; the last manager stays). */
export async function removeMember(actorId: string, campaignId: string, userId: string): Promise<void> {
  const before = await store.removeMember(campaignId, userId, teamCheck(null)).catch((err) => Promise.reject(storeError(err)));
  if (before === null) throw APIError.notFound("this user is not a member of the campaign");
  await committed({ actorId, action: "campaign.member_removed", targetType: "campaign", targetId: campaignId, details: { userId, before } });
}
