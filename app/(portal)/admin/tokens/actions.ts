"use server";

import { revalidatePath } from "next/cache";
import { revokeApiToken } from "@/lib/domain/revoke-api-token";
import { type ActionState, formToObject, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

/** An admin revokes anyone's token (the use case checks token.manage-any). */
export async function revokeAnyTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const t = await revokeApiToken(ctx, formToObject(form) as never);
    revalidatePath("/admin/tokens");
    return { message: t.alreadyRevoked ? `Token ${t.name} of ${t.ownerEmail} was already revoked.` : `Token ${t.name} of ${t.ownerEmail} revoked: requests with it now get 401.` };
  });
}
