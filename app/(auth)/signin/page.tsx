import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInAlert, SignInCard } from "@/components/auth/sign-in-card";
import { SsoButton } from "@/components/auth/sso-button";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { queryValue, signInErrorMessage } from "@/lib/auth/messages";
import { getCurrentUser } from "@/lib/auth/session";
import { env, oidcConfigured } from "@/lib/env";
import { ssoSignInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// One sign-in path: the configured OpenID Connect provider (npm start runs a local one listing the seeded people).
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(queryValue(params, "callbackUrl"));

  if (await getCurrentUser()) redirect(callbackUrl);

  const e = env();
  const sso = oidcConfigured(e);
  const error = signInErrorMessage(queryValue(params, "error"), queryValue(params, "code"));

  return (
    <SignInCard title="Sign in to vcluster portal" subtitle="Request and manage virtual Kubernetes clusters for your team.">
      <SignInAlert message={error} />

      {sso ? (
        <SsoButton providerName={e.AUTH_OIDC_NAME} callbackUrl={callbackUrl} action={ssoSignInAction} />
      ) : (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          No sign-in method is configured. An administrator must set <code className="font-mono">AUTH_OIDC_ISSUER</code>,{" "}
          <code className="font-mono">AUTH_OIDC_CLIENT_ID</code> and <code className="font-mono">AUTH_OIDC_CLIENT_SECRET</code>
          {e.NODE_ENV !== "production" ? (
            <>
              {" "}
              (<code className="font-mono">npm start</code> runs a local OpenID Connect provider and sets them)
            </>
          ) : null}
          .
        </p>
      )}
    </SignInCard>
  );
}
