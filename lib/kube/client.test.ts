import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { register } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeClientFromConfig, requestLabels } from "./client";
import { toKubeError } from "./errors";
import { TokenBucket } from "./rate-limit";

describe("TokenBucket", () => {
  it("allows a burst, then spaces requests at 1/qps", () => {
    let t = 0;
    const b = new TokenBucket(10, 3, () => t);
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 0]);
    expect(b.reserve()).toBeCloseTo(100);
    expect(b.reserve()).toBeCloseTo(200); // reservations queue up
    t = 1000; // 10 tokens refilled, minus the 2 reserved, capped at burst
    expect(b.reserve()).toBe(0);
  });

  it("qps <= 0 means unlimited", () => {
    const b = new TokenBucket(0, 1);
    for (let i = 0; i < 100; i++) expect(b.reserve()).toBe(0);
  });
});

describe("requestLabels", () => {
  it.each([
    ["GET", "https://h/api/v1/namespaces", undefined, "list", "namespaces"],
    ["GET", "https://h/api/v1/namespaces/vc-a", undefined, "get", "namespaces"],
    ["PUT", "https://h/api/v1/namespaces/vc-a/finalize", undefined, "update", "namespaces/finalize"],
    ["GET", "https://h/api/v1/namespaces/vc-a/secrets/vc-x", undefined, "get", "secrets"],
    ["GET", "https://h/apis/apps/v1/namespaces/ns/statefulsets?watch=true", undefined, "watch", "statefulsets"],
    ["PATCH", "https://h/apis/apps/v1/namespaces/ns/statefulsets/x/scale", "application/merge-patch+json", "patch", "statefulsets/scale"],
    ["PATCH", "https://h/apis/networking.k8s.io/v1/namespaces/ns/networkpolicies/p", "application/apply-patch+yaml", "apply", "networkpolicies"],
    ["DELETE", "https://h/api/v1/namespaces/ns/pods?labelSelector=a%3Db", undefined, "deletecollection", "pods"],
    ["POST", "https://h/api/v1/namespaces/ns/serviceaccounts/sa/token", undefined, "create", "serviceaccounts/token"],
    ["GET", "https://h/apis/apps/v1", undefined, "get", "discovery"],
  ])("%s %s", (method, url, ct, verb, resource) => {
    expect(requestLabels(method, url, ct)).toEqual({ verb, resource });
  });
});

describe("kubeClientFromConfig against a local HTTP server", () => {
  const hits: number[] = [];
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(performance.now());
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/v1") {
        // discovery, used by the generic object API
        res.end(JSON.stringify({ kind: "APIResourceList", groupVersion: "v1", resources: [{ name: "namespaces", singularName: "namespace", namespaced: false, kind: "Namespace", verbs: ["get", "list"] }] }));
      } else if (req.url?.startsWith("/api/v1/namespaces/missing")) {
        res.statusCode = 404;
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", message: 'namespaces "missing" not found', code: 404 }));
      } else if (req.url?.startsWith("/api/v1/namespaces/broken")) {
        res.statusCode = 503;
        res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "ServiceUnavailable", message: "etcd is sad", code: 503 }));
      } else {
        res.end(JSON.stringify({ kind: "NamespaceList", apiVersion: "v1", metadata: {}, items: [] }));
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  function client(qps: number, burst: number) {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: "local", server: url, skipTLSVerify: true }, { name: "u", token: "t" });
    return kubeClientFromConfig(kc, { id: `test-${qps}-${burst}`, qps, burst });
  }

  it("every request waits for the host's token bucket (20 QPS, burst 5: 25 calls take ≥ 1 s)", async () => {
    const c = client(20, 5);
    await c.objects.list("v1", "Namespace"); // warms the object API's discovery cache (2 requests)
    await new Promise((r) => setTimeout(r, 400)); // bucket refills to its burst of 5
    hits.length = 0;
    const start = performance.now();
    // mixed API objects share one bucket
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        i % 2 ? c.core.listNamespace() : c.objects.list("v1", "Namespace"),
      ),
    );
    const elapsed = performance.now() - start;
    expect(hits).toHaveLength(25);
    // 5 immediately, then 20 more at 50 ms each
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
    const span = hits.at(-1)! - hits[0]!;
    expect(span).toBeGreaterThanOrEqual(950);
  });

  it("an unlimited client is not slowed down", async () => {
    const c = client(0, 1);
    const start = performance.now();
    await Promise.all(Array.from({ length: 25 }, () => c.core.listNamespace()));
    expect(performance.now() - start).toBeLessThan(900);
  });

  it("records duration and error metrics with verb/resource/code, and errors map to kinds", async () => {
    const c = client(0, 1);
    await c.core.listNamespace();
    const nf = await c.core.readNamespace({ name: "missing" }).catch((e: unknown) => toKubeError(e));
    expect(nf).toMatchObject({ kind: "NotFound", status: 404, reason: "NotFound" });
    const down = await c.core.readNamespace({ name: "broken" }).catch((e: unknown) => toKubeError(e));
    expect(down).toMatchObject({ kind: "Unavailable", status: 503 });
    expect((down as Error).message).toContain("etcd is sad");

    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: "dead", server: `http://127.0.0.1:${closedPort}`, skipTLSVerify: true }, { name: "u", token: "t" });
    const dead = kubeClientFromConfig(kc, { id: "dead", qps: 0, burst: 1 });
    const refused = await dead.core.listNamespace().catch((e: unknown) => toKubeError(e));
    expect(refused).toMatchObject({ kind: "Unavailable", reason: "ECONNREFUSED" });
    expect(toKubeError(refused).retryable).toBe(true);

    const text = await register.metrics();
    expect(text).toMatch(/vcp_kube_request_duration_seconds_count\{verb="list",resource="namespaces",code="200"\} \d+/);
    expect(text).toMatch(/vcp_kube_request_duration_seconds_count\{verb="get",resource="namespaces",code="404"\} 1/);
    expect(text).toMatch(/vcp_kube_request_errors_total\{verb="get",resource="namespaces",code="503"\} 1/);
    expect(text).toMatch(/vcp_kube_request_errors_total\{verb="list",resource="namespaces",code="network"\} 1/);
    expect(text).not.toMatch(/vcp_kube_request_errors_total\{[^}]*code="404"/);
  });

  it("metrics module can be evaluated twice (Next.js dev reload) without double registration", async () => {
    const { vi } = await import("vitest");
    vi.resetModules();
    await expect(import("./metrics")).resolves.toBeTruthy();
  });
});

describe("hostClient", () => {
  it("LOCAL uses KUBECONFIG; KUBECONFIG decrypts the stored config; clients are cached per host and replaced on change", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { encryptHostKubeconfig } = await import("@/lib/crypto/secret-box");
    const { hostClient, forgetHostClient } = await import("./client");
    const kubeconfig = (server: string) =>
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\nusers:\n- name: u\n  user:\n    token: abc\n`;
    const dir = mkdtempSync(path.join(tmpdir(), "vcp-kc-"));
    const file = path.join(dir, "kubeconfig");
    writeFileSync(file, kubeconfig("https://local.example:6443"));
    process.env.KUBECONFIG = file; // read once by lib/env.ts on first use

    const local = { id: "h-local", connection: "LOCAL" as const, kubeconfigEncrypted: null, clientQps: 20, clientBurst: 40 };
    const a = hostClient(local);
    expect(a.kc.getCurrentCluster()?.server).toBe("https://local.example:6443");
    expect(hostClient(local)).toBe(a);
    expect(await a.kubeconfigFile()).toMatchObject({ path: file });
    const b = hostClient({ ...local, clientQps: 5 });
    expect(b).not.toBe(a);
    expect(b.limiter.qps).toBe(5);

    const remote = { id: "h-remote", connection: "KUBECONFIG" as const, kubeconfigEncrypted: encryptHostKubeconfig("h-remote", kubeconfig("https://remote.example:443")), clientQps: 10, clientBurst: 10 };
    const r = hostClient(remote);
    expect(r.kc.getCurrentCluster()?.server).toBe("https://remote.example:443");
    const tmp = await r.kubeconfigFile();
    const { readFileSync, existsSync, statSync } = await import("node:fs");
    expect(statSync(tmp.path!).mode & 0o777).toBe(0o600);
    expect(readFileSync(tmp.path!, "utf8")).toContain("https://remote.example:443");
    await tmp.cleanup();
    expect(existsSync(tmp.path!)).toBe(false);

    expect(() => hostClient({ ...remote, id: "h-none", kubeconfigEncrypted: null })).toThrow(/no stored kubeconfig/);
    forgetHostClient();
  });
});
