import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifests } from "@/lib/kube/apply";
import { TENANT_ROLE_NAME } from "@/lib/kube/host-objects";
import { clientFor, testHostKubeconfig, uniqueTeam } from "@/scripts/vcluster-emulator/testing";
import { CHART_DIR, helm, helmWithValues, IDENTITY_KINDS, pick, renderChart, requiredValues, type ChartObject } from "./portal-chart";

// The portal's Helm chart (deploy/helm/vcluster-portal, README.md there): linted, rendered with the required values
// and with options, refused with a message naming the value when one is missing or malformed, and accepted by a
// real API server. The identity it renders is proven by provisioning as it in lib/kube/rbac.int.test.ts.

type Container = {
  name: string;
  args: string[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
  startupProbe?: { httpGet: { path: string; port: string } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
};
type PodSpec = {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: Record<string, unknown> }[];
};
type Workload = ChartObject & { spec: { replicas?: number; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec } } };

const release = { name: "vcluster-portal", namespace: "vcluster-portal" };
const workload = (objects: ChartObject[], kind: string, name: string) => pick(objects, kind, name) as Workload;
const container = (w: Workload) => w.spec.template.spec.containers[0]!;
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value ?? e.valueFrom?.secretKeyRef]));
const secretData = (s: ChartObject) => Object.fromEntries(Object.entries((s as unknown as { data: Record<string, string> }).data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
/** values with one path removed (dotted), e.g. without("oidc.issuer") */
function without(values: Record<string, unknown>, dotted: string): Record<string, unknown> {
  const copy = structuredClone(values);
  const keys = dotted.split(".");
  let at = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  delete at[keys.at(-1)!];
  return copy;
}
/** The error helm gives for these values (fails the test if it renders). */
async function refused(values: Record<string, unknown>): Promise<string> {
  const r = await helmWithValues(["template"], release, values);
  expect(r.code, `helm template should have refused: ${r.stdout.slice(0, 200)}`).not.toBe(0);
  return r.stderr;
}

describe("helm lint", () => {
  it("passes, strict, with the required values", async () => {
    const r = await helmWithValues(["lint", "--strict"], null, requiredValues());
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("without them names each missing value (helm's lint mode reports them; template and install refuse, below)", async () => {
    const r = await helm(["lint", "--strict", CHART_DIR]);
    for (const value of ["image.repository", "portal.url", "oidc.issuer", "oidc.clientId", "database.url", "auth.secret", "oidc.clientSecret", "encryptionKey.value"]) {
      expect(r.stderr).toContain(`${value} `);
    }
  });
});

describe("helm template with the required values only", () => {
  const values = requiredValues();
  let objects: ChartObject[];
  beforeAll(async () => {
    ({ objects } = await renderChart(release, values));
  });

  it("renders the web app, the worker, the migration hook, the Service, PDBs, NetworkPolicies and the identity — no Ingress", () => {
    const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual(
      [
        "ClusterRole/vcluster-portal",
        `ClusterRole/${TENANT_ROLE_NAME}`,
        "ClusterRoleBinding/vcluster-portal",
        "Deployment/vcluster-portal-web",
        "Deployment/vcluster-portal-worker",
        "FlowSchema/vcluster-portal",
        "Job/vcluster-portal-migrate",
        "NetworkPolicy/vcluster-portal-migrate",
        "NetworkPolicy/vcluster-portal-web",
        "NetworkPolicy/vcluster-portal-worker",
        "PodDisruptionBudget/vcluster-portal-web",
        "PodDisruptionBudget/vcluster-portal-worker",
        "PriorityLevelConfiguration/vcluster-portal",
        "Role/vcluster-portal-apiserver",
        "RoleBinding/vcluster-portal-apiserver",
        "Secret/vcluster-portal",
        "Secret/vcluster-portal-migrate",
        "Service/vcluster-portal",
        "ServiceAccount/vcluster-portal",
        "ValidatingAdmissionPolicy/vcluster-portal-guard",
        "ValidatingAdmissionPolicyBinding/vcluster-portal-guard",
      ].sort(),
    );
  });

  it("runs web and worker as the chart's ServiceAccount: non-root, read-only root, no capabilities, /tmp (and the Next cache) on emptyDirs", () => {
    for (const [name, arg] of [["vcluster-portal-web", "web"], ["vcluster-portal-worker", "worker"]] as const) {
      const w = workload(objects, "Deployment", name);
      const pod = w.spec.template.spec;
      expect(pod.serviceAccountName).toBe("vcluster-portal");
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
      const c = container(w);
      expect(c.args).toEqual([arg]);
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
      expect(c.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      expect(pod.volumes.find((v) => v.name === "tmp")?.emptyDir).toBeDefined();
      expect(c.resources.requests).toMatchObject({ cpu: "100m", memory: "256Mi" });
    }
    const web = workload(objects, "Deployment", "vcluster-portal-web");
    expect(web.spec.replicas).toBe(2);
    expect(envOf(container(web))).toMatchObject({ PORT: "3000", HOSTNAME: "0.0.0.0" }); // not the pod's name, which the runtime sets
    expect(container(web).volumeMounts).toContainEqual({ name: "next-cache", mountPath: "/app/.next/cache" });
    expect(web.spec.template.spec.volumes.find((v) => v.name === "next-cache")?.emptyDir).toEqual({ sizeLimit: "512Mi" });
  });

  it("probes the web app's /api/healthz (liveness, start-up) and /api/readyz (readiness); the worker's metrics port", () => {
    const web = container(workload(objects, "Deployment", "vcluster-portal-web"));
    expect(web.livenessProbe?.httpGet).toEqual({ path: "/api/healthz", port: "http" });
    expect(web.startupProbe?.httpGet).toEqual({ path: "/api/healthz", port: "http" });
    expect(web.readinessProbe?.httpGet).toEqual({ path: "/api/readyz", port: "http" });
    const worker = container(workload(objects, "Deployment", "vcluster-portal-worker"));
    expect(worker.livenessProbe?.httpGet).toEqual({ path: "/metrics", port: "metrics" });
    expect(envOf(worker)).toMatchObject({ WORKER_METRICS_HOST: "0.0.0.0", WORKER_METRICS_PORT: "9464", WORKER_CONCURRENCY: "4" });
  });

  it("configures lib/env.ts's variables: plain ones as values, secret ones from the chart's Secret", () => {
    const secret = pick(objects, "Secret", "vcluster-portal");
    const v = values as { database: { url: string }; auth: { secret: string }; oidc: { clientSecret: string }; encryptionKey: { value: string } };
    expect(secretData(secret)).toEqual({
      DATABASE_URL: v.database.url,
      AUTH_SECRET: v.auth.secret,
      AUTH_OIDC_CLIENT_SECRET: v.oidc.clientSecret,
      PORTAL_ENCRYPTION_KEY: v.encryptionKey.value,
    });
    for (const name of ["vcluster-portal-web", "vcluster-portal-worker"]) {
      const env = envOf(container(workload(objects, "Deployment", name)));
      expect(env).toMatchObject({
        NODE_ENV: "production",
        AUTH_URL: "https://portal.example.com",
        AUTH_OIDC_ISSUER: "https://idp.example.com/realms/portal",
        AUTH_OIDC_CLIENT_ID: "vcluster-portal",
        HELM_CACHE_HOME: "/tmp/helm/cache",
      });
      for (const key of ["DATABASE_URL", "AUTH_SECRET", "AUTH_OIDC_CLIENT_SECRET", "PORTAL_ENCRYPTION_KEY"]) expect(env[key], key).toEqual({ name: "vcluster-portal", key });
      expect(env.METRICS_TOKEN).toBeUndefined(); // not set: /api/metrics stays off
    }
  });

  it("migrates in a pre-install/pre-upgrade hook Job that sees only the database URL, from a hook Secret created before it", () => {
    const job = workload(objects, "Job", "vcluster-portal-migrate");
    expect(job.metadata.annotations).toMatchObject({ "helm.sh/hook": "pre-install,pre-upgrade", "helm.sh/hook-weight": "0" });
    const c = container(job);
    expect(c.args).toEqual(["migrate"]);
    expect(c.env).toEqual([{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "vcluster-portal-migrate", key: "DATABASE_URL" } } }]);
    expect(job.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    const hookSecret = pick(objects, "Secret", "vcluster-portal-migrate");
    expect(Number(hookSecret.metadata.annotations!["helm.sh/hook-weight"])).toBeLessThan(0);
    expect(secretData(hookSecret)).toEqual({ DATABASE_URL: (values as { database: { url: string } }).database.url });
  });

  it("exposes the web app's port through the Service; PDBs allow one pod down; NetworkPolicies shut the worker's metrics", () => {
    const svc = pick(objects, "Service") as ChartObject & { spec: { type: string; ports: unknown[]; selector: Record<string, string> } };
    expect(svc.spec).toMatchObject({ type: "ClusterIP", ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] });
    expect(svc.spec.selector).toEqual(workload(objects, "Deployment", "vcluster-portal-web").spec.template.metadata.labels);
    for (const c of ["web", "worker"]) {
      expect((pick(objects, "PodDisruptionBudget", `vcluster-portal-${c}`) as ChartObject & { spec: unknown }).spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/component": c } } });
    }
    const web = pick(objects, "NetworkPolicy", "vcluster-portal-web") as ChartObject & { spec: { ingress: unknown[]; egress: { ports: { port: number }[] }[] } };
    expect(web.spec.ingress).toEqual([{ ports: [{ protocol: "TCP", port: 3000 }] }]);
    expect(web.spec.egress.flatMap((r) => r.ports.map((p) => p.port)).sort((a, b) => a - b)).toEqual([53, 53, 443, 5432, 6443, 8443]);
    expect((pick(objects, "NetworkPolicy", "vcluster-portal-worker") as ChartObject & { spec: { ingress: unknown[] } }).spec.ingress).toEqual([]);
  });
});

describe("helm template with options", () => {
  it("an Ingress for the host with TLS and class; extra variables; the metrics token", async () => {
    const { objects } = await renderChart(release, {
      ...requiredValues(),
      ingress: { enabled: true, className: "nginx", host: "portal.example.com", tlsSecretName: "portal-tls", annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" } },
      metrics: { token: "a-metrics-token-of-enough-length" },
      env: { LOG_LEVEL: "debug", TRUSTED_PROXIES: "10.0.0.0/8", API_TOKEN_MAX_DAYS: 30 },
      networkPolicy: { metricsFrom: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }] },
    });
    const ingress = pick(objects, "Ingress") as ChartObject & { spec: unknown };
    expect(ingress.metadata.annotations).toEqual({ "cert-manager.io/cluster-issuer": "letsencrypt" });
    expect(ingress.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ hosts: ["portal.example.com"], secretName: "portal-tls" }],
      rules: [{ host: "portal.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "vcluster-portal", port: { name: "http" } } } }] } }],
    });
    const env = envOf(container(workload(objects, "Deployment", "vcluster-portal-web")));
    expect(env).toMatchObject({ LOG_LEVEL: "debug", TRUSTED_PROXIES: "10.0.0.0/8", API_TOKEN_MAX_DAYS: "30", METRICS_TOKEN: { name: "vcluster-portal", key: "METRICS_TOKEN" } });
    expect(secretData(pick(objects, "Secret", "vcluster-portal")).METRICS_TOKEN).toBe("a-metrics-token-of-enough-length");
    const worker = pick(objects, "NetworkPolicy", "vcluster-portal-worker") as ChartObject & { spec: { ingress: unknown[] } };
    expect(worker.spec.ingress).toEqual([{ ports: [{ protocol: "TCP", port: 9464 }], from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }] }]);
  });

  it("existing Secrets for every secret setting: no Secret of the chart's own, every reference by the given name and key", async () => {
    const values = {
      image: { repository: "registry.example.com/vcluster-portal", tag: "1.2.3" },
      portal: { url: "https://portal.example.com" },
      database: { existingSecret: { name: "portal-db-app", key: "uri" } },
      auth: { existingSecret: { name: "portal-secrets", key: "AUTH_SECRET" } },
      oidc: { issuer: "https://idp.example.com", clientId: "portal", existingSecret: { name: "portal-oidc", key: "client-secret" } },
      encryptionKey: { existingSecret: { name: "portal-secrets", key: "PORTAL_ENCRYPTION_KEY" } },
      metrics: { existingSecret: { name: "portal-secrets", key: "METRICS_TOKEN" } },
    };
    const { objects } = await renderChart(release, values);
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const web = workload(objects, "Deployment", "vcluster-portal-web");
    expect(web.spec.template.spec.containers[0]!.env.find((e) => e.name === "DATABASE_URL")?.valueFrom).toEqual({ secretKeyRef: { name: "portal-db-app", key: "uri" } });
    expect(envOf(container(web))).toMatchObject({
      AUTH_SECRET: { name: "portal-secrets", key: "AUTH_SECRET" },
      AUTH_OIDC_CLIENT_SECRET: { name: "portal-oidc", key: "client-secret" },
      PORTAL_ENCRYPTION_KEY: { name: "portal-secrets", key: "PORTAL_ENCRYPTION_KEY" },
      METRICS_TOKEN: { name: "portal-secrets", key: "METRICS_TOKEN" },
    });
    expect((container(web) as unknown as { image: string }).image).toBe("registry.example.com/vcluster-portal:1.2.3");
    expect(container(workload(objects, "Job", "vcluster-portal-migrate")).env).toEqual([{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "portal-db-app", key: "uri" } } }]);
  });

  it("a changed secret value changes the pods' checksum, so they roll", async () => {
    const a = requiredValues();
    const b = { ...a, auth: { secret: "x".repeat(40) } };
    const checksum = async (v: Record<string, unknown>) => workload((await renderChart(release, v)).objects, "Deployment", "vcluster-portal-web").spec.template.metadata.annotations!["checksum/config"];
    expect(await checksum(a)).toBe(await checksum(a));
    expect(await checksum(b)).not.toBe(await checksum(a));
  });

  it("portal.enabled=false: only the identity — the same objects as a full install — and no required values", async () => {
    const hostOnly = await renderChart(release, { portal: { enabled: false } });
    const full = await renderChart(release, requiredValues());
    expect(hostOnly.objects.every((o) => IDENTITY_KINDS.includes(o.kind))).toBe(true);
    expect(hostOnly.objects).toEqual(full.objects.filter((o) => IDENTITY_KINDS.includes(o.kind)));
  });

  it("rbac.watchControlPlanes (on by default) grants cluster-wide list/watch of control planes and tells the worker to watch; off, neither", async () => {
    type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
    const appsRules = (objects: ChartObject[]) =>
      ((pick(objects, "ClusterRole", release.name) as unknown as { rules: Rule[] }).rules ?? []).filter((r) => r.apiGroups.includes("apps"));
    const on = await renderChart(release, requiredValues());
    expect(appsRules(on.objects)).toEqual([{ apiGroups: ["apps"], resources: ["statefulsets", "deployments"], verbs: ["list", "watch"] }]);
    expect(envOf(container(workload(on.objects, "Deployment", `${release.name}-worker`))).WORKER_WATCH_HOSTS).toBe("true");
    const off = await renderChart(release, { ...requiredValues(), rbac: { create: true, watchControlPlanes: false } });
    expect(appsRules(off.objects)).toEqual([]);
    expect(envOf(container(workload(off.objects, "Deployment", `${release.name}-worker`))).WORKER_WATCH_HOSTS).toBe("false");
  });

  it("rbac.create=false and apf.enabled=false leave out the identity's RBAC, admission policy and flow schema", async () => {
    const { objects } = await renderChart(release, { ...requiredValues(), rbac: { create: false }, apf: { enabled: false } });
    expect(objects.filter((o) => IDENTITY_KINDS.includes(o.kind)).map((o) => o.kind)).toEqual(["ServiceAccount"]);
  });
});

describe("helm template refuses bad values with a message naming the value", () => {
  it.each([
    ["image.repository", "image.repository is required"],
    ["portal.url", "portal.url is required"],
    ["database.url", "database.url or database.existingSecret.name is required"],
    ["auth.secret", "auth.secret or auth.existingSecret.name is required"],
    ["oidc.issuer", "oidc.issuer is required"],
    ["oidc.clientId", "oidc.clientId is required"],
    ["oidc.clientSecret", "oidc.clientSecret or oidc.existingSecret.name is required"],
    ["encryptionKey.value", "encryptionKey.value or encryptionKey.existingSecret.name is required"],
  ])("without %s", async (path, message) => {
    expect(await refused(without(requiredValues(), path))).toContain(message);
  });

  it("ingress on without a host", async () => {
    expect(await refused({ ...requiredValues(), ingress: { enabled: true } })).toContain("ingress.host is required when ingress.enabled is true");
  });

  it("a value and an existing Secret for the same setting", async () => {
    expect(await refused({ ...requiredValues(), auth: { secret: "y".repeat(40), existingSecret: { name: "s", key: "k" } } })).toContain(
      "auth.secret and auth.existingSecret.name are both set",
    );
  });

  it("a variable in env that the chart sets from its own values", async () => {
    expect(await refused({ ...requiredValues(), env: { DATABASE_URL: "postgres://elsewhere/db" } })).toContain("env.DATABASE_URL: the chart sets DATABASE_URL itself");
  });

  it.each([
    [{ encryptionKey: { value: "too-short" } }, "/encryptionKey/value"],
    [{ auth: { secret: "short" } }, "/auth/secret"],
    [{ database: { url: "mysql://db/portal" } }, "/database/url"],
    [{ portal: { url: "portal.example.com" } }, "/portal/url"],
    [{ ingres: { enabled: true } }, "additional properties 'ingres' not allowed"],
    [{ web: { replicas: "two" } }, "/web/replicas"],
  ])("the schema: %j", async (over, message) => {
    expect(await refused({ ...requiredValues(), ...over })).toContain(message);
  });
});

describe("helm install --dry-run=server against the API server", () => {
  const namespace = `portal-chart-${uniqueTeam("c")}`;
  let kubeconfig: string;
  beforeAll(async () => {
    kubeconfig = await testHostKubeconfig();
    await clientFor(kubeconfig, "admin").core.createNamespace({ body: { metadata: { name: namespace } } });
  });
  afterAll(async () => {
    await clientFor(kubeconfig, "admin").core.deleteNamespace({ name: namespace }).catch(() => {});
  });

  it("helm accepts the release against the server's API (schemas validated by the server's OpenAPI)", async () => {
    // --take-ownership: lib/kube/rbac.int.test.ts may have applied the same fixed-name tenant ClusterRole on this
    // host already — as an operator's earlier hand-applied manifests would have.
    const r = await helmWithValues(["install", "--dry-run=server", "--take-ownership"], { name: "portal", namespace }, { ...requiredValues(), ingress: { enabled: true, host: "portal.example.com" } }, { kubeconfig });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/STATUS: pending-install/);
  });

  it("the API server admits every rendered object (server-side apply, dry run), hooks included", async () => {
    const admin = clientFor(kubeconfig, "admin");
    const { yaml } = await renderChart({ name: "portal", namespace }, { ...requiredValues(), ingress: { enabled: true, host: "portal.example.com", tlsSecretName: "tls" } });
    const objects = loadManifests(yaml);
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) {
      const stored: KubernetesObject = await admin.objects.patch(o, undefined, "All", "chart-test", true, PatchStrategy.ServerSideApply);
      expect(stored.metadata?.name, `${o.kind}/${o.metadata?.name}`).toBe(o.metadata?.name);
    }
  });
});
