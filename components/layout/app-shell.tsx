import Link from "next/link";
import type { ReactNode } from "react";
import { Boxes, KeyRound } from "lucide-react";
import { can } from "@/lib/authz/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { MainNav, type NavItem } from "@/components/layout/main-nav";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { ThemeToggle } from "@/components/layout/theme-toggle";

export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const actor = { id: user.id, isAdmin: user.isAdmin, memberships: user.memberships };
  const firstLedTeam = user.memberships.find((m) => m.role === "LEAD") ?? user.memberships[0];
  const navItems: NavItem[] = [
    { href: "/", label: "My clusters" },
    ...(firstLedTeam ? [{ href: `/teams/${firstLedTeam.teamSlug}`, label: "Team" }] : []),
    ...(can(actor, "approval.decide") ? [{ href: "/admin/approvals", label: "Approvals" }] : []),
    ...(can(actor, "cluster.listAll") ? [{ href: "/admin/clusters", label: "All clusters" }] : []),
    ...(can(actor, "template.manage") ? [{ href: "/admin/templates", label: "Templates" }] : []),
    ...(can(actor, "team.manage") ? [{ href: "/admin/teams", label: "Teams" }] : []),
    ...(can(actor, "host.manage") ? [{ href: "/admin/hosts", label: "Hosts" }] : []),
    ...(can(actor, "token.manage-any") ? [{ href: "/admin/tokens", label: "Tokens" }] : []),
    ...(can(actor, "audit.view") ? [{ href: "/admin/audit", label: "Audit log" }] : []),
  ];
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
        Skip to content
      </a>
      <header className="relative z-30 border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-2 px-4 sm:gap-6">
          <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight">
            <Boxes className="size-5 text-brand-600 dark:text-brand-500" aria-hidden />
            <span className="max-sm:sr-only">vcluster portal</span>
          </Link>
          <MainNav items={navItems} />
          <div className="flex shrink-0 items-center gap-1 text-sm sm:gap-2">
            <span className="hidden text-slate-600 xl:inline dark:text-slate-300" data-testid="current-user">
              {user.email}
            </span>
            {can(actor, "token.manage-own") && (
              <Link
                href="/settings/tokens"
                aria-label="API tokens"
                title="API tokens"
                className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
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
