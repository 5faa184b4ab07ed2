import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DevSignIn } from "@/components/auth/dev-sign-in";
import { SignInAlert, SignInCard, SignInDivider } from "@/components/auth/sign-in-card";
import { SsoButton } from "@/components/auth/sso-button";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { devLoginEnabled } from "@/lib/auth/config";
import { describeDevUser, listDevSignInUsers } from "@/lib/auth/dev-users";
import { queryValue, signInErrorMessage } from "@/lib/auth/messages";
import { getCurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { env, oidcConfigured } from "@/lib/env";
import { devSignInAction, ssoSignInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(queryValue(params, "callbackUrl"));

  if (await getCurrentUser()) redirect(callbackUrl);

  const e = env();
  const sso = oidcConfigured(e);
  const dev = devLoginEnabled(e);
  const users = dev ? (await listDevSignInUsers(db())).map((u) => ({ email: u.email, description: describeDevUser(u) })) : [];
  const error = signInErrorMessage(queryValue(params, "error"), queryValue(params, "code"));

  return (
    <SignInCard title="Sign in to vcluster portal" subtitle="Request and manage virtual Kubernetes clusters for your team.">
      <SignInAlert message={error} />

      {sso ? <SsoButton providerName={e.AUTH_OIDC_NAME} callbackUrl={callbackUrl} action={ssoSignInAction} /> : null}

      {sso && dev ? <SignInDivider label="or, for development" /> : null}

      {dev ? (
        <div className="space-y-3">
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
            Development sign-in: no password. It is disabled in production.
          </p>
          <DevSignIn users={users} callbackUrl={callbackUrl} action={devSignInAction} />
        </div>
      ) : null}

      {!sso && !dev ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          No sign-in method is configured. An administrator must set <code className="font-mono">AUTH_OIDC_ISSUER</code>,{" "}
          <code className="font-mono">AUTH_OIDC_CLIENT_ID</code> and <code className="font-mono">AUTH_OIDC_CLIENT_SECRET</code>
          {e.NODE_ENV !== "production" ? (
            <>
              , or <code className="font-mono">AUTH_DEV_LOGIN=true</code> for local development
            </>
          ) : null}
          .
        </p>
      ) : null}
    </SignInCard>
  );
}
