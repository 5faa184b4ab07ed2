import type { ActionState } from "@/lib/server/action";

/** What the create action hands back once: the secret and what the list will show of it. */
export type NewApiToken = { token: string; id: string; name: string; prefix: string; scopes: string[]; expiresAt: string };

export type CreateTokenState = ActionState<NewApiToken>;
export type CreateTokenAction = (prev: CreateTokenState, form: FormData) => Promise<CreateTokenState>;
export type RevokeTokenAction = (prev: ActionState, form: FormData) => Promise<ActionState>;
