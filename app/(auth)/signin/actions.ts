"use server";

// The sign-in server action. Next.js checks the Origin of server actions (CSRF); Auth.js skips its own
// CSRF token for server-side signIn(). Auth.js errors become readable messages on the sign-in page; the
// redirect to the identity provider (NEXT_REDIRECT) is re-thrown untouched.
import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { OIDC_PROVIDER_ID, signIn } from "@/lib/auth/config";
import { oidcConfigured } from "@/lib/env";

export async function ssoSignInAction(formData: FormData): Promise<void> {
  const callbackUrl = safeCallbackUrl(formData.get("callbackUrl"));
  if (!oidcConfigured()) return;
  try {
    // Redirects to the IdP (NEXT_REDIRECT); the state, PKCE and nonce cookies are set on the way.
    await signIn(OIDC_PROVIDER_ID, { redirectTo: callbackUrl });
  } catch (error) {
    if (error instanceof AuthError) redirect(`/signin?${new URLSearchParams({ error: error.type, callbackUrl })}`);
    throw error;
  }
}
