import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { PageHeader } from "@/components/admin/page-header";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokenTable } from "@/components/tokens/token-table";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { DEFAULT_API_TOKEN_DAYS } from "@/lib/domain/create-api-token";
import { listMyApiTokens, MY_API_TOKENS_LIMIT } from "@/lib/domain/list-my-api-tokens";
import { env } from "@/lib/env";
import { domainContext } from "@/lib/server/domain-context";
import { createTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensSettingsPage() {
  const ctx = await domainContext();
  const { items, truncated } = await listMyApiTokens(ctx);
  const maxDays = env().API_TOKEN_MAX_DAYS;

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow="Settings"
        title="API tokens"
        description={
          <>
            Personal tokens for scripts and CI to call the portal&apos;s REST API (<code className="font-mono text-[13px]">/api/v1</code>) as you, with your current permissions.
            Send one as <code className="font-mono text-[13px]">Authorization: Bearer vcp_…</code>; the{" "}
            <Link href="/api-docs" className="text-brand-600 underline dark:text-brand-100">
              API reference
            </Link>{" "}
            lists every operation.
          </>
        }
      />
      <Card>
        <CardHeader title="Create a token" description={`A read token lists and inspects clusters; a write token may also change them and download kubeconfigs. Tokens last at most ${maxDays} days.`} />
        <CardBody>
          <CreateTokenForm action={createTokenAction} maxDays={maxDays} defaultDays={Math.min(DEFAULT_API_TOKEN_DAYS, maxDays)} />
        </CardBody>
      </Card>
      <Card className="overflow-hidden">
        <CardHeader title="Your tokens" description={truncated ? `The ${MY_API_TOKENS_LIMIT} newest. Revoke the ones you no longer use.` : "Newest first, revoked and expired ones included."} />
        {items.length === 0 ? (
          <EmptyState
            className="m-4"
            icon={<KeyRound className="size-5" />}
            title="No API tokens yet"
            description="Create one above for a script or a CI job. It is shown once; only a fingerprint is stored."
          />
        ) : (
          <TokenTable tokens={items} revokeAction={revokeTokenAction} caption="Your API tokens, newest first" />
        )}
      </Card>
      {ctx.actor.isAdmin ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          As an admin you can also see and revoke <Link href="/admin/tokens" className="text-brand-600 underline dark:text-brand-100">everyone&apos;s tokens</Link>.
        </p>
      ) : null}
    </div>
  );
}
