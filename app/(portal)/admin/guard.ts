import "server-only";
import { notFound } from "next/navigation";
import { type Action, can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { isAppError } from "@/lib/errors";
import { domainContext } from "@/lib/server/domain-context";

/**
 * First line of every admin page: the permission table decides, and anyone it refuses sees "not found"
 * (an admin page's existence is not advertised). Server actions check again inside the use cases.
 */
export async function adminContext(action: Action): Promise<DomainContext> {
  const ctx = await domainContext();
  if (!can(ctx.actor, action)) notFound();
  return ctx;
}

/** Next.js gives search params as string | string[]; filters want the first string. */
export function firstParams(sp: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

/**
 * A list page whose URL filters fail validation shows the reason instead of an error page;
 * anything else still throws.
 */
export function pageOrFilterError<T>(page: Promise<T>): Promise<{ page: T; error: null } | { page: null; error: string }> {
  return page.then(
    (p) => ({ page: p, error: null }),
    (e: unknown) => {
      if (isAppError(e) && e.code === "VALIDATION") return { page: null, error: [e.message, ...Object.values(e.fieldErrors ?? {}).flat()].join(" ") };
      throw e;
    },
  );
}
