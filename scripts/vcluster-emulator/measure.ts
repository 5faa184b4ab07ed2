/**
 * tsx scripts/vcluster-emulator/measure.ts [--variants default,lean,...] [--count 3]
 * Measures the resident memory (VmRSS) of the emulator's kube-apiserver processes under a small workload
 * (discovery, a CRD, a namespace, 20 ConfigMaps) — the numbers in docs/vcluster-emulator.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApiextensionsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { parseArgs } from "../k8s/args";
import { DEFAULT_API_SERVER_ENV, VirtualApiServer, startEmulatorEtcd } from "./api-server";
import { rssKiB } from "./processes";
import { adminKubeconfig } from "./pki";

const VARIANTS: Record<string, { args: string[]; env: Record<string, string> }> = {
  // the emulator's flags (APF off, profiling off) with Go's default GC
  plain: { args: [], env: {} },
  // as shipped: plus Go GC tuned for a small heap
  default: { args: [], env: DEFAULT_API_SERVER_ENV },
  // plain, without the watch cache (LISTs go to etcd)
  nowatchcache: { args: ["--watch-cache=false"], env: {} },
  // shipped + no watch cache + only GA APIs served (beta/alpha groups off)
  lean: { args: ["--watch-cache=false", "--runtime-config=api/beta=false,api/alpha=false"], env: DEFAULT_API_SERVER_ENV },
};

async function workload(server: VirtualApiServer) {
  const kc = new KubeConfig();
  kc.loadFromString(adminKubeconfig(server.pki, server.server, "m"));
  const core = kc.makeApiClient(CoreV1Api);
  const apiext = kc.makeApiClient(ApiextensionsV1Api);
  await core.listNamespace();
  await core.createNamespace({ body: { metadata: { name: "work" } } });
  await apiext.createCustomResourceDefinition({
    body: {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.m.dev" },
      spec: { group: "m.dev", scope: "Namespaced", names: { kind: "Widget", plural: "widgets" }, versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", x_kubernetes_preserve_unknown_fields: true } } }] },
    } as never,
  });
  for (let i = 0; i < 20; i++) await core.createNamespacedConfigMap({ namespace: "work", body: { metadata: { name: `cm-${i}` }, data: { i: String(i) } } });
  await core.listNamespacedConfigMap({ namespace: "work" });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const names = (typeof args.variants === "string" ? args.variants : Object.keys(VARIANTS).join(",")).split(",");
  const count = Number(args.count ?? 1);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "vcp-emu-measure-"));
  const { etcd, etcdUrl } = await startEmulatorEtcd(stateDir);
  try {
    console.log(`kube-apiserver RSS after start + workload + 10 s idle (${os.cpus().length} CPUs, ${count} server(s) per variant)`);
    for (const name of names) {
      const v = VARIANTS[name];
      if (!v) throw new Error(`unknown variant ${name}`);
      const servers: VirtualApiServer[] = [];
      const t0 = Date.now();
      for (let i = 0; i < count; i++) {
        const s = new VirtualApiServer(`${name}-${i}`, path.join(stateDir, `${name}-${i}`), etcdUrl, `/measure-${name}-${i}`, v.args, v.env);
        fs.mkdirSync(s.dir, { recursive: true });
        await s.start();
        servers.push(s);
      }
      const startSecs = (Date.now() - t0) / 1000 / count;
      for (const s of servers) await workload(s);
      await new Promise((r) => setTimeout(r, 10_000));
      const rss = servers.map((s) => rssKiB(s.proc!.pid) ?? 0);
      console.log(
        `${name.padEnd(14)} start ${startSecs.toFixed(1)}s  RSS ${rss.map((k) => `${Math.round(k / 1024)}MiB`).join(", ")}  ` +
          `args=[${v.args.join(" ")}] env=${JSON.stringify(v.env)}`,
      );
      for (const s of servers) await s.stop();
    }
    console.log(`etcd (shared by all, after the runs): ${Math.round((rssKiB(etcd.pid) ?? 0) / 1024)}MiB`);
  } finally {
    await etcd.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
