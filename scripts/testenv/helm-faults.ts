// Faults for the driver and reconciler integration tests: a pending helm release, a hung API server, process lookups.
import { readFileSync, readdirSync } from "node:fs";
import net from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { KubeConfig } from "@kubernetes/client-node";
import type { KubeClient } from "@/lib/kube/client";

/**
 * Rewrites the newest helm release record (Secret sh.helm.release.v1.<release>.v<N>) as if helm had been cut
 * off mid-operation: status `pending-*` and the given last_deployed time (helm's clock, maybe skewed).
 */
export async function markReleasePending(client: KubeClient, namespace: string, release: string, status: "pending-install" | "pending-upgrade", lastDeployed: Date): Promise<void> {
  const list = await client.core.listNamespacedSecret({ namespace, labelSelector: `owner=helm,name=${release}` });
  const latest = list.items.sort((a, b) => Number(b.metadata?.labels?.version) - Number(a.metadata?.labels?.version))[0];
  if (!latest?.data?.release) throw new Error(`no helm release record for ${namespace}/${release}`);
  // The secrets driver stores base64(gzip(json)); the API base64-encodes those bytes once more.
  const rel = JSON.parse(gunzipSync(Buffer.from(Buffer.from(latest.data.release, "base64").toString(), "base64")).toString()) as { info: Record<string, unknown> };
  rel.info.status = status;
  rel.info.last_deployed = lastDeployed.toISOString();
  const encoded = Buffer.from(gzipSync(JSON.stringify(rel)).toString("base64")).toString("base64");
  await client.core.replaceNamespacedSecret({
    name: latest.metadata!.name!,
    namespace,
    body: { ...latest, metadata: { ...latest.metadata, labels: { ...latest.metadata?.labels, status } }, data: { release: encoded } },
  });
}

/** Pids of running processes whose command line contains every one of `parts` (Linux /proc). */
export function processesWith(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.[0];
      if (state !== "Z" && parts.every((p) => cmd.includes(p))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** An "API server" that accepts connections and never answers (no TLS handshake, no bytes). */
export async function startHungServer(): Promise<{ port: number; kubeconfig: (name?: string) => KubeConfig; kubeconfigYaml: (name?: string) => string; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const kubeconfig = (name = "hung") => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name, server: `https://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name, cluster: name, user: "u" }],
      currentContext: name,
    });
    return kc;
  };
  return {
    port,
    kubeconfig,
    kubeconfigYaml: (name) => kubeconfig(name).exportConfig(),
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
