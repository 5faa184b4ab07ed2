import Link from "next/link";
import type { ReactNode } from "react";
import { Boxes, KeyRound } from "lucide-react";
import { can } from "@/lib/authz/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { NavLink } from "@/components/layout/nav-link";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { ThemeToggle } from "@/components/layout/theme-toggle";

export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const actor = { id: user.id, isAdmin: user.isAdmin, memberships: user.memberships };
  const firstLedTeam = user.memberships.find((m) => m.role === "LEAD") ?? user.memberships[0];
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-4">
          <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
            <Boxes className="size-5 text-brand-500" aria-hidden />
            <span>vcluster portal</span>
          </Link>
          <nav aria-label="Main" className="flex flex-1 items-center gap-1 overflow-x-auto text-sm">
            <NavLink href="/">My clusters</NavLink>
            {firstLedTeam && <NavLink href={`/teams/${firstLedTeam.teamSlug}`}>Team</NavLink>}
            {can(actor, "approval.decide") && <NavLink href="/admin/approvals">Approvals</NavLink>}
            {can(actor, "cluster.listAll") && <NavLink href="/admin/clusters">All clusters</NavLink>}
            {can(actor, "template.manage") && <NavLink href="/admin/templates">Templates</NavLink>}
            {can(actor, "team.manage") && <NavLink href="/admin/teams">Teams</NavLink>}
            {can(actor, "host.manage") && <NavLink href="/admin/hosts">Hosts</NavLink>}
            {can(actor, "token.manage-any") && <NavLink href="/admin/tokens">Tokens</NavLink>}
            {can(actor, "audit.view") && <NavLink href="/admin/audit">Audit log</NavLink>}
          </nav>
          <div className="flex items-center gap-2 text-sm">
            <span className="hidden text-slate-500 sm:inline dark:text-slate-400" data-testid="current-user">
              {user.email}
            </span>
            {can(actor, "token.manage-own") && (
              <Link
                href="/settings/tokens"
                aria-label="API tokens"
                title="API tokens"
                className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
              >
                <KeyRound className="size-4" aria-hidden />
              </Link>
            )}
            <ThemeToggle />
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-8">
        {children}
      </main>
    </div>
  );
}
