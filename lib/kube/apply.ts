import { PatchStrategy, loadYaml, type KubernetesObject } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { FIELD_MANAGER } from "./cluster-spec";
import { orNull, toKubeError } from "./errors";
import type { KubeClient } from "./client";

// All writes are server-side apply with field manager `vcluster-portal` and force (docs/vcluster.md): the portal
// owns the fields it sets, re-applying is idempotent, and 409 field conflicts cannot block a reconcile.
//
// Objects of built-in kinds must be in client-node's typed shape (`_from`, `_default`,
// `x_kubernetes_preserve_unknown_fields`, ...): client-node serializes them through its models and silently DROPS
// wire-format keys it does not know. The builders in host-objects.ts produce that shape; YAML manifests must be
// read with loadManifests() below, never with a plain YAML parser. Custom resources pass through unchanged.

export type ObjectRef = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

function ref(o: KubernetesObject): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : "";
  return `${o.kind} ${ns}${o.metadata?.name}`;
}

/** Parses multi-document YAML manifests into client-node's typed objects (see the note above). */
export function loadManifests(yamlText: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(yamlText)) {
    if (doc.errors.length) throw new Error(`invalid YAML manifest: ${doc.errors[0]!.message.split("\n")[0]}`);
    const plain = doc.toJS() as KubernetesObject | null;
    if (plain?.kind) out.push(loadYaml<KubernetesObject>(JSON.stringify(plain))); // typed per kind
  }
  return out;
}

/** Server-side applies one object and returns what the API server stored. */
export async function applyObject<T extends KubernetesObject>(client: KubeClient, obj: T): Promise<T> {
  try {
    return await client.objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  } catch (e) {
    const ke = toKubeError(e);
    ke.message = `apply ${ref(obj)}: ${ke.message}`;
    throw ke;
  }
}

/** Server-side applies objects in order (a Namespace before what lives in it). */
export async function applyAll(client: KubeClient, objects: readonly KubernetesObject[]): Promise<KubernetesObject[]> {
  const out: KubernetesObject[] = [];
  for (const o of objects) out.push(await applyObject(client, o));
  return out;
}

/** Reads an object; null when it does not exist. */
export async function getOrNull<T extends KubernetesObject>(client: KubeClient, r: ObjectRef): Promise<T | null> {
  return orNull(client.objects.read<T>(r as T & { metadata: { name: string } }));
}

/**
 * Deletes an object if it exists (background propagation). Returns "absent" when it was already gone,
 * "deleting" when the delete was accepted (it may still be terminating).
 */
export async function deleteIfExists(
  client: KubeClient,
  r: ObjectRef,
  opts: { propagationPolicy?: "Background" | "Foreground" | "Orphan" } = {},
): Promise<"absent" | "deleting"> {
  try {
    await client.objects.delete(r, undefined, undefined, undefined, undefined, opts.propagationPolicy ?? "Background");
    return "deleting";
  } catch (e) {
    const ke = toKubeError(e);
    if (ke.kind === "NotFound") return "absent";
    ke.message = `delete ${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ""}${r.metadata.name}: ${ke.message}`;
    throw ke;
  }
}
