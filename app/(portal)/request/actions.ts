"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestFromCatalog } from "@/lib/domain/catalog";
import { requestCluster } from "@/lib/domain/request-cluster";
import { type ActionState, formToObject, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

const last = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);
const str = (v: unknown) => (typeof last(v) === "string" ? (last(v) as string) : undefined);

/** One click on a catalog card: defaults everywhere, then straight to the new cluster's page. */
export async function quickCreateAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let clusterId: string | undefined;
  const state = await runAction<undefined>(async () => {
    const ctx = await domainContext();
    const cluster = await requestFromCatalog(ctx, { templateSlug: str(form.get("templateSlug")) ?? "", teamId: str(form.get("teamId")) || undefined });
    clusterId = cluster.id;
    return { message: `Requested ${cluster.name}` };
  });
  if (state.ok && clusterId) {
    revalidatePath("/");
    redirect(`/clusters/${clusterId}`);
  }
  return state;
}

/** The customize form: `parameters.<name>` fields become the parameters object (a checkbox's last value wins). */
export async function requestClusterAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  let clusterId: string | undefined;
  const state = await runAction<undefined>(async () => {
    const ctx = await domainContext();
    const raw = formToObject(form);
    const parameters: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (k.startsWith("parameters.")) parameters[k.slice("parameters.".length)] = last(v);
    const cluster = await requestCluster(ctx, {
      teamId: str(raw.teamId) ?? "",
      templateSlug: str(raw.templateSlug) ?? "",
      templateVersion: str(raw.templateVersion) || undefined,
      name: str(raw.name) ?? "",
      parameters,
    });
    clusterId = cluster.id;
    return { message: `Requested ${cluster.name}` };
  });
  if (state.ok && clusterId) {
    revalidatePath("/");
    redirect(`/clusters/${clusterId}`);
  }
  return state;
}
