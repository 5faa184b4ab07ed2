"use server";

import { revalidatePath } from "next/cache";
import type { CreateTokenState } from "@/components/tokens/types";
import { createApiToken } from "@/lib/domain/create-api-token";
import { revokeApiToken } from "@/lib/domain/revoke-api-token";
import { type ActionState, formToObject, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

/** A token for the signed-in person; the secret goes back once, in this result, and is never stored. */
export async function createTokenAction(_prev: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const t = await createApiToken(ctx, formToObject(form) as never);
    revalidatePath("/settings/tokens");
    return {
      message: `Token ${t.name} created. Copy it now: it will not be shown again.`,
      data: { token: t.token, id: t.id, name: t.name, prefix: t.prefix, scopes: t.scopes, expiresAt: t.expiresAt.toISOString() },
    };
  });
}

export async function revokeTokenAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const t = await revokeApiToken(ctx, formToObject(form) as never);
    revalidatePath("/settings/tokens");
    return { message: t.alreadyRevoked ? `Token ${t.name} was already revoked.` : `Token ${t.name} revoked: requests with it now get 401.` };
  });
}
