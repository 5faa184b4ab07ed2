"use server";

import type { CreateTokenState } from "@/components/tokens/types";
import { createApiToken } from "@/lib/domain/create-api-token";
import { revokeApiToken } from "@/lib/domain/revoke-api-token";
import { formAction } from "@/lib/server/form-action";

/** A token for the signed-in person; the secret goes back once, in this result, and is never stored. */
export const createTokenAction: (prev: CreateTokenState, form: FormData) => Promise<CreateTokenState> = formAction(createApiToken, {
  // A person's own token: the e-mail field is for operators (npm run token:create) only.
  fromForm: (fields) => ({ ...fields, email: undefined }),
  done: (t) => ({
    message: `Token ${t.name} created. Copy it now: it will not be shown again.`,
    data: { token: t.token, id: t.id, name: t.name, prefix: t.prefix, scopes: t.scopes, expiresAt: t.expiresAt.toISOString() },
    revalidate: ["/settings/tokens"],
  }),
});

export const revokeTokenAction = formAction(revokeApiToken, {
  done: (t) => ({
    message: t.alreadyRevoked ? `Token ${t.name} was already revoked.` : `Token ${t.name} revoked: requests with it now get 401.`,
    revalidate: ["/settings/tokens"],
  }),
});
