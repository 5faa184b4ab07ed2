"use server";

import { requestFromCatalog } from "@/lib/domain/catalog";
import { requestCluster } from "@/lib/domain/request-cluster";
import { formAction } from "@/lib/server/form-action";

const last = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);

const requested = (c: { id: string; name: string }) => ({ message: `Requested ${c.name}`, revalidate: ["/"], redirectTo: `/clusters/${c.id}` });

/** One click on a catalog card: defaults everywhere, then straight to the new cluster's page. */
export const quickCreateAction = formAction(requestFromCatalog, { done: requested });

/** The customize form: `parameters.<name>` fields become the parameters object (a checkbox's last value wins). */
export const requestClusterAction = formAction(requestCluster, {
  fromForm: (fields) => {
    const parameters: Record<string, unknown> = {};
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (k.startsWith("parameters.")) parameters[k.slice("parameters.".length)] = last(v);
      else rest[k] = last(v);
    }
    return { ...rest, templateVersion: rest.templateVersion || undefined, parameters };
  },
  done: requested,
});
