// auth's private endpoints for the users service (which owns no database and checks permissions
// itself): account management over auth's accounts table.
import { api, APIError } from "encore.dev/api";
import type { ErasureRequest, ErasureResult } from "../shared/retention";
import * as accounts from "./flows/accounts";
import { forgetAccountState } from "./flows/sessions";
import * as store from "./store";
import type {
  AccountContact,
  AccountIdRequest,
  CreateAccountRequest,
  DeleteAccountRequest,
  ListAccountsRequest,
  ListAccountsResponse,
  SuccessResponse,
  UpdateAccountRequest,
  UserProfile,
} from "./model";

// listAccounts returns a page of live accounts, newest first (default 50).
export const listAccounts = api(
  { expose: false, method: "GET", path: "/internal/auth/accounts" },
  (req: ListAccountsRequest): Promise<ListAccountsResponse> => accounts.listAccounts(req.limit ?? 50, req.offset ?? 0),
);

// getAccount returns one live account (404 when there is none).
export const getAccount = api(
  { expose: false, method: "GET", path: "/internal/auth/accounts/:id" },
  (req: AccountIdRequest): Promise<UserProfile> => accounts.getAccount(req.id),
);

// createAccount creates an account with a given role (409 when the email is taken).
export const createAccount = api(
  { expose: false, method: "POST", path: "/internal/auth/accounts" },
  (req: CreateAccountRequest): Promise<UserProfile> => accounts.createAccount(req),
);

// updateAccount changes an account's name and/or role (400 failed_precondition when it would demote the last admin).
export const updateAccount = api(
  { expose: false, method: "PUT", path: "/internal/auth/accounts/:id" },
  (req: UpdateAccountRequest): Promise<UserProfile> => accounts.updateAccount(req),
);

// deleteAccount soft-deletes an account and ends its sessions.
export const deleteAccount = api(
  { expose: false, method: "DELETE", path: "/internal/auth/accounts/:id" },
  async (req: DeleteAccountRequest): Promise<SuccessResponse> => {
    await accounts.deleteAccount(req.id, req.actorId);
    return { success: true };
  },
);

// getAccountContact returns the addresses an account (live, deleted, not erased) is reached at, for erasure in other services.
export const getAccountContact = api(
  { expose: false, method: "GET", path: "/internal/auth/accounts/:id/contact" },
  async ({ id }: AccountIdRequest): Promise<AccountContact> => {
    const addresses = await store.accountAddresses(id);
    return { exists: addresses !== null, addresses: addresses ?? [] };
  },
);

// eraseUserData erases an account's personal data (email, name, password, sessions, identities) for a compliance erasure request; the last live admin cannot be erased (400).
export const eraseUserData = api(
  { expose: false, method: "POST", path: "/internal/auth/erasure" },
  async ({ userId }: ErasureRequest): Promise<ErasureResult> => {
    try {
      const erased = await store.eraseAccount(userId);
      await forgetAccountState(userId);
      return { service: "auth", erased };
    } catch (err) {
      if (err instanceof store.LastAdminErasureError) throw APIError.failedPrecondition("the last admin cannot be erased: make another admin first");
      throw err;
    }
  },
);
