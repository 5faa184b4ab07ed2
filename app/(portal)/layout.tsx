import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { REQUESTED_PATH_HEADER, signInPath } from "@/lib/auth/callback-url";
import { getCurrentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  // Back to the page that was asked for after signing in (proxy.ts names it).
  if (!user) redirect(signInPath((await headers()).get(REQUESTED_PATH_HEADER)));
  return <AppShell user={user}>{children}</AppShell>;
}
