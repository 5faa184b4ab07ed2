import { RelativeTime } from "@/components/clusters/relative-time";
import { RevokeTokenButton } from "@/components/tokens/revoke-token-button";
import { TokenStatusBadge } from "@/components/tokens/token-status-badge";
import type { RevokeTokenAction } from "@/components/tokens/types";
import { Badge } from "@/components/ui/badge";
import { TableScroll } from "@/components/ui/table-scroll";
import { apiTokenStatus } from "@/lib/domain/api-token-status";

export type TokenTableRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  user?: { email: string; name: string | null };
};

const th = "px-4 py-2 font-medium";
const td = "px-4 py-2 whitespace-nowrap text-slate-600 dark:text-slate-300";

/** API tokens, newest first: what they are (never the secret), what they may do, and their lifetime. */
export function TokenTable({ tokens, revokeAction, showOwner = false, caption }: { tokens: TokenTableRow[]; revokeAction: RevokeTokenAction; showOwner?: boolean; caption: string }) {
  const now = new Date();
  return (
    <TableScroll label="API tokens">
      <table className="w-full text-left text-sm" data-testid="tokens-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
          <tr>
            <th scope="col" className={th}>Name</th>
            {showOwner ? <th scope="col" className={th}>Owner</th> : null}
            <th scope="col" className={th}>Prefix</th>
            <th scope="col" className={th}>Scopes</th>
            <th scope="col" className={th}>Created</th>
            <th scope="col" className={th}>Last used</th>
            <th scope="col" className={th}>Expires</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={`${th} text-right`}><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {tokens.map((t) => {
            const status = apiTokenStatus(t, now);
            return (
              <tr key={t.id} data-token={t.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                <th scope="row" className="px-4 py-2 font-medium text-slate-900 dark:text-slate-100">{t.name}</th>
                {showOwner ? (
                  <td className={td}>
                    {t.user?.email}
                    {t.user?.name ? <span className="block text-xs text-slate-500 dark:text-slate-400">{t.user.name}</span> : null}
                  </td>
                ) : null}
                <td className={td}><code className="font-mono text-[13px]">{t.prefix}…</code></td>
                <td className="px-4 py-2">
                  <span className="flex gap-1">
                    {t.scopes.map((s) => (
                      <Badge key={s} tone={s === "write" ? "warning" : "info"}>{s}</Badge>
                    ))}
                  </span>
                </td>
                <td className={td}><RelativeTime date={t.createdAt} /></td>
                <td className={td}>{t.lastUsedAt ? <RelativeTime date={t.lastUsedAt} /> : <span className="text-slate-500 dark:text-slate-400">never</span>}</td>
                <td className={td}>
                  {t.expiresAt ? <RelativeTime date={t.expiresAt} mode={status === "expired" ? "ago" : "expiry"} /> : "never"}
                </td>
                <td className={td}>
                  <TokenStatusBadge status={status} />
                  {t.revokedAt ? <span className="ml-2 text-xs"><RelativeTime date={t.revokedAt} /></span> : null}
                </td>
                <td className="px-4 py-2 text-right">
                  {status === "revoked" ? null : <RevokeTokenButton action={revokeAction} token={t} owner={showOwner ? t.user?.email : undefined} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
