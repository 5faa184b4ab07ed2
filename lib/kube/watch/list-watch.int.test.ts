// ListWatch against the real kube-apiserver of the local host cluster: the copy follows creates, updates and
// deletes; bookmarks move the resourceVersion so a watch the server ends is resumed without listing again; an
// expired resourceVersion (410 Gone) makes it list again; a refused list leaves it unsynced (callers then poll).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { V1ConfigMap } from "@kubernetes/client-node";
import { clientFor, testHostKubeconfig, uniqueTeam, waitFor } from "@/scripts/vcluster-emulator/testing";
import { log } from "@/lib/log";
import type { KubeClient } from "../client";
import { toKubeError } from "../errors";
import { kubeWatchEvents } from "../metrics";
import { ListWatch, type ListResult } from "./list-watch";

const namespace = `${uniqueTeam("lw")}-ns`;
const selector = "vcluster-portal.dev/test=list-watch";
let client: KubeClient;
const watches: ListWatch<V1ConfigMap>[] = [];

function configMapWatch(over: { path?: string; list?: () => Promise<ListResult<V1ConfigMap>>; watchTimeoutSeconds?: number } = {}) {
  const changes: string[] = [];
  const w = new ListWatch<V1ConfigMap>({
    client,
    log,
    resource: "configmaps",
    path: over.path ?? `/api/v1/namespaces/${namespace}/configmaps`,
    labelSelector: selector,
    list: over.list ?? (() => client.core.listNamespacedConfigMap({ namespace, labelSelector: selector })),
    onChange: (current, previous) => changes.push(`${current ? (previous ? "modified" : "added") : "deleted"} ${(current ?? previous)?.metadata?.name}=${(current ?? previous)?.data?.v}`),
    watchTimeoutSeconds: over.watchTimeoutSeconds,
  });
  watches.push(w);
  w.start();
  return { w, changes };
}

const cm = (name: string, v: string) => client.core.createNamespacedConfigMap({ namespace, body: { metadata: { name, labels: { "vcluster-portal.dev/test": "list-watch" } }, data: { v } } });

async function bookmarks(): Promise<number> {
  const m = await kubeWatchEvents.get();
  return m.values.filter((v) => v.labels.resource === "configmaps" && v.labels.type === "bookmark").reduce((n, v) => n + v.value, 0);
}

beforeAll(async () => {
  client = clientFor(await testHostKubeconfig());
  await client.core.createNamespace({ body: { metadata: { name: namespace } } });
  await cm("before", "1");
});

afterAll(async () => {
  await Promise.all(watches.map((w) => w.stop()));
  await client.core.deleteNamespace({ name: namespace }).catch(() => {});
});

describe("ListWatch on a real API server", () => {
  it("lists, then follows creates, updates and deletes; objects without the label are not seen", async () => {
    const { w, changes } = configMapWatch();
    await waitFor("synced", async () => w.synced);
    expect(w.get(namespace, "before")?.data?.v).toBe("1");
    await cm("later", "2");
    await client.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "unlabelled" }, data: { v: "x" } } });
    await client.core.patchNamespacedConfigMap({ name: "later", namespace, body: [{ op: "replace", path: "/data/v", value: "3" }] });
    await client.core.deleteNamespacedConfigMap({ name: "before", namespace });
    await waitFor("delete seen", async () => changes.includes("deleted before=1"));
    expect(changes).toEqual(["added before=1", "added later=2", "modified later=3", "deleted before=1"]);
    expect(w.get(namespace, "later")?.data?.v).toBe("3");
    expect(w.get(namespace, "unlabelled")).toBeUndefined();
    expect(w.lists).toBe(1);
  });

  it("resumes a watch the server ended from the last bookmark, without listing again", async () => {
    const before = await bookmarks();
    // The API server ends a watch at its timeout, sending a bookmark first once its resourceVersion has moved on:
    // unrelated writes (no label) move it without an event for this watch.
    const { w, changes } = configMapWatch({ watchTimeoutSeconds: 4 });
    await waitFor("synced", async () => w.synced);
    let i = 0;
    const churn = setInterval(() => void client.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `churn-${i++}` } } }).catch(() => {}), 500);
    try {
      await waitFor("a bookmark", async () => (await bookmarks()) > before, 30_000, 200);
    } finally {
      clearInterval(churn);
    }
    await new Promise((r) => setTimeout(r, 2_500)); // past the first watch's end: the second one runs
    await cm("after-resume", "4");
    await waitFor("event after the resume", async () => changes.includes("added after-resume=4"), 20_000, 200);
    expect(w.lists).toBe(1);
    expect(w.lastError).toBeNull();
  });

  it("lists again when its resourceVersion has expired (410 Gone), and the copy is right afterwards", async () => {
    // A custom resource: its watch cache starts when its definition is created, so resourceVersion 1 is long gone
    // ("too old resource version"), as after a long disconnection.
    const crd = { group: "test.vcluster-portal.dev", version: "v1", plural: "probes" };
    await client.apiext.createCustomResourceDefinition({
      body: {
        metadata: { name: `${crd.plural}.${crd.group}` },
        spec: {
          group: crd.group,
          scope: "Namespaced",
          names: { plural: crd.plural, singular: "probe", kind: "Probe" },
          versions: [{ name: crd.version, served: true, storage: true, schema: { openAPIV3Schema: { type: "object", x_kubernetes_preserve_unknown_fields: true } } }],
        },
      },
    }).catch((e: unknown) => {
      if (toKubeError(e).kind !== "AlreadyExists") throw e;
    });
    const listProbes = () => client.custom.listNamespacedCustomObject({ ...crd, namespace, labelSelector: selector }) as Promise<ListResult<V1ConfigMap>>;
    await waitFor("the definition served", async () => (await listProbes().then(() => true, () => false)) || null, 30_000, 200);
    const probe = (name: string) =>
      client.custom.createNamespacedCustomObject({ ...crd, namespace, body: { apiVersion: `${crd.group}/${crd.version}`, kind: "Probe", metadata: { name, labels: { "vcluster-portal.dev/test": "list-watch" } }, data: { v: name } } });
    await probe("p1");
    try {
      let calls = 0;
      const { w, changes } = configMapWatch({
        path: `/apis/${crd.group}/${crd.version}/namespaces/${namespace}/${crd.plural}`,
        list: async () => {
          calls++;
          const real = await listProbes();
          return calls === 1 ? { items: real.items, metadata: { resourceVersion: "1" } } : real;
        },
      });
      await waitFor("listed twice", async () => w.lists >= 2, 20_000, 100);
      await probe("p2");
      await waitFor("watching again", async () => w.get(namespace, "p2") !== undefined, 20_000, 100);
      expect(w.lists).toBe(2);
      expect(changes.map((c) => c.split("=")[0])).toEqual(["added p1", "added p2"]); // p1 once: the relist found nothing new
    } finally {
      await client.apiext.deleteCustomResourceDefinition({ name: `${crd.plural}.${crd.group}` }).catch(() => {});
    }
  });

  it("a list the API server refuses leaves the copy unsynced and says why", async () => {
    const { w } = configMapWatch({
      list: () => client.core.listNamespacedConfigMap({ namespace: "kube-system", labelSelector: "x=y", fieldSelector: "no.such.field=1" }) as Promise<ListResult<V1ConfigMap>>,
    });
    await waitFor("an error", async () => w.lastError !== null, 10_000, 100);
    expect(w.synced).toBe(false);
    expect(w.lastError).toMatch(/field label not supported|no.such.field/i);
  });
});
