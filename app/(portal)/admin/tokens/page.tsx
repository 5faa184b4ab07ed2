import type { Metadata } from "next";
import Link from "next/link";
import { KeyRound } from "lucide-react";
import { FilterForm, FilterInput, FilterSelect } from "@/components/admin/filter-form";
import { PageHeader } from "@/components/admin/page-header";
import { Pager } from "@/components/admin/pager";
import { TokenTable } from "@/components/tokens/token-table";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { API_TOKEN_STATUS_LABELS, API_TOKEN_STATUSES } from "@/lib/domain/api-token-status";
import { listAllApiTokens } from "@/lib/domain/list-all-api-tokens";
import { adminContext, firstParams, pageOrFilterError } from "../guard";
import { revokeAnyTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

const FILTERS = ["owner", "status"] as const;

export default async function AdminTokensPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminContext("token.manage-any");
  const params = firstParams(await searchParams);
  const result = await pageOrFilterError(listAllApiTokens(ctx, params));
  const active = FILTERS.some((k) => params[k]);

  return (
    <div>
      <PageHeader title="API tokens" description="Everyone's personal API tokens, newest first. Revoke one and its next request gets 401; the revocation is audited." />
      <FilterForm action="/admin/tokens" active={active} label="Filter tokens">
        <FilterInput name="owner" label="Owner e-mail" defaultValue={params.owner} type="email" placeholder="dev@example.com" />
        <FilterSelect
          name="status"
          label="Status"
          defaultValue={params.status}
          options={[{ value: "", label: "Any status" }, ...API_TOKEN_STATUSES.map((s) => ({ value: s, label: API_TOKEN_STATUS_LABELS[s] }))]}
        />
      </FilterForm>

      <Card className="mt-4 overflow-hidden">
        {result.error ? (
          <EmptyState className="m-4" title="Cannot show this page" description={result.error} action={<Link href="/admin/tokens" className="text-brand-600 underline dark:text-brand-100">First page</Link>} />
        ) : result.page && result.page.items.length === 0 ? (
          <EmptyState className="m-4" icon={<KeyRound className="size-5" />} title="No tokens match" description={active ? "Try fewer filters." : "Nobody has created an API token yet."} />
        ) : (
          <TokenTable tokens={result.page!.items} revokeAction={revokeAnyTokenAction} showOwner caption="API tokens of everyone, newest first" />
        )}
      </Card>
      {result.page ? <Pager path="/admin/tokens" params={params} newerCursor={result.page.newerCursor} olderCursor={result.page.olderCursor} shown={result.page.items.length} label="tokens" /> : null}
    </div>
  );
}
