"use server";

import { revokeApiToken } from "@/lib/domain/revoke-api-token";
import { formAction } from "@/lib/server/form-action";

/** An admin revokes anyone's token (the use case checks token.manage-any). */
export const revokeAnyTokenAction = formAction(revokeApiToken, {
  done: (t) => ({
    message: t.alreadyRevoked ? `Token ${t.name} of ${t.ownerEmail} was already revoked.` : `Token ${t.name} of ${t.ownerEmail} revoked: requests with it now get 401.`,
    revalidate: ["/admin/tokens"],
  }),
});
