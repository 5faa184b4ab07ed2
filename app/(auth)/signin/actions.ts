"use server";

// Sign-in server actions. Next.js checks the Origin of server actions (CSRF); Auth.js skips its own
// CSRF token for server-side signIn(). Inputs are validated with zod; Auth.js errors become readable
// messages; the redirect Auth.js answers with (NEXT_REDIRECT) is re-thrown untouched.
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { DEV_PROVIDER_ID, OIDC_PROVIDER_ID, ZDevSignIn, devLoginEnabled, signIn } from "@/lib/auth/config";
import { INVALID_DEV_EMAIL_CODE, signInErrorMessage } from "@/lib/auth/messages";
import { oidcConfigured } from "@/lib/env";

export type SignInState = { error?: string; email?: string };

const ZCallbackUrl = z.unknown().transform((v) => safeCallbackUrl(v));

const ZDevSignInForm = ZDevSignIn.extend({ callbackUrl: ZCallbackUrl });

export async function devSignInAction(_prev: SignInState, formData: FormData): Promise<SignInState> {
  const rawEmail = formData.get("email");
  const email = typeof rawEmail === "string" ? rawEmail.slice(0, 320) : "";
  if (!devLoginEnabled()) return { error: signInErrorMessage("DevLoginDisabled"), email };

  const parsed = ZDevSignInForm.safeParse({ email: rawEmail, callbackUrl: formData.get("callbackUrl") });
  if (!parsed.success) return { error: signInErrorMessage("CredentialsSignin", INVALID_DEV_EMAIL_CODE), email };

  try {
    await signIn(DEV_PROVIDER_ID, { email: parsed.data.email, redirectTo: parsed.data.callbackUrl });
  } catch (error) {
    if (error instanceof CredentialsSignin) return { error: signInErrorMessage(error.type, error.code), email };
    if (error instanceof AuthError) return { error: signInErrorMessage(error.type), email };
    throw error; // NEXT_REDIRECT on success, or an unexpected failure (masked by the error boundary)
  }
  return {};
}

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
