import { z } from "zod";
import { parseTrustedProxies } from "@/lib/net/trusted-proxies";

// The one place that reads process.env. Validated once, at start-up, with messages that name the variable.

const postgresUrl = z
  .string({ error: "is required (a postgres:// connection string)" })
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "postgres:" || u.protocol === "postgresql:";
    } catch {
      return false;
    }
  }, "must be a postgres:// or postgresql:// URL, e.g. postgres://user:pass@localhost:5432/portal");

const ZEnv = z
  .object({
    // Left optional here so the checks below see whether it was set; unset reads as "development" afterwards.
    NODE_ENV: z.enum(["development", "production", "test"]).optional(),
    DATABASE_URL: postgresUrl,
    // Longest lifetime of a personal API token, in days (Settings page and npm run token:create).
    API_TOKEN_MAX_DAYS: z.coerce.number({ error: "must be a whole number of days" }).int("must be a whole number of days").min(1, "must be at least 1 (day)").max(3650, "must be at most 3650 (days)").default(90),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

    AUTH_SECRET: z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
    AUTH_URL: z.url("must be the portal's public URL, e.g. https://portal.example.com").optional(),
    AUTH_OIDC_ISSUER: z.url("must be the issuer URL of your OpenID Connect provider").optional(),
    AUTH_OIDC_CLIENT_ID: z.string().min(1).optional(),
    AUTH_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    AUTH_OIDC_NAME: z.string().default("Single sign-on"),
    AUTH_OIDC_SCOPES: z.string().default("openid profile email"),
    AUTH_OIDC_GROUPS_CLAIM: z.string().default("groups"),
    AUTH_OIDC_ADMIN_GROUP: z.string().default("vcluster-portal-admins"),
    AUTH_OIDC_TEAM_PREFIX: z.string().default("team:"),

    PORTAL_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 random bytes, base64-encoded (openssl rand -base64 32)")
      .optional(),

    KUBECONFIG: z.string().optional(),
    VCP_LOCAL_K8S: z.enum(["auto", "off"]).default("auto"),
    // JSON status of the local host cluster (scripts/k8s: state.json), shown on the admin Hosts page.
    VCP_LOCAL_K8S_STATUS_FILE: z.string().optional(),
    VCLUSTER_CHART_REPO: z.string().default("https://charts.loft.sh"),
    VCLUSTER_CHART_NAME: z.string().default("vcluster"),
    HELM_BIN: z.string().default("helm"),
    HELM_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(300),
    // Longest lifetime of the personal token in a downloaded kubeconfig, in hours (never past the cluster's end).
    KUBECONFIG_TOKEN_MAX_HOURS: z.coerce.number({ error: "must be a number of hours" }).int("must be a whole number of hours").min(1, "must be at least 1 (hour)").max(8760, "must be at most 8760 (hours, a year)").default(24),

    WORKER_ID: z.string().optional(),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    // Watch each host's namespaces and control planes instead of polling them (needs cluster-wide list/watch of
    // apps statefulsets and deployments: the Helm chart's rbac.watchControlPlanes). "false" polls.
    WORKER_WATCH_HOSTS: z.enum(["true", "false"], { error: 'must be "true" or "false"' }).default("true").transform((v) => v === "true"),
    RECONCILE_LEASE_SECONDS: z.coerce.number().int().min(5).default(60),
    // Failures of unknown kind in a row before a cluster becomes FAILED (outages never fail it).
    RECONCILE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    // Installed but not ready for this long: FAILED with the reason.
    RECONCILE_READY_TIMEOUT_SECONDS: z.coerce.number().int().min(10).default(900),
    // Requests nobody decided on are rejected after this long, freeing the quota they hold; 0 = never.
    APPROVAL_TIMEOUT_HOURS: z.coerce.number().int().min(0).default(168),
    // Deadline of one request to a host's API server (a hung server must not hang a step).
    KUBE_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    // A portal namespace without a live cluster is reported at once and removed after this grace period.
    ORPHAN_GRACE_MINUTES: z.coerce.number().int().min(1).default(60),
    // The worker process serves its Prometheus metrics here (0 = off).
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    // ...on this interface only (loopback unless set, e.g. 0.0.0.0 for a scraper on another machine).
    WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
    // /api/metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset: the endpoint is off (404).
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters (openssl rand -hex 32)").optional(),
    // Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated); none by default.
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((v, ctx) => {
        try {
          return parseTrustedProxies(v);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: `must be IP addresses or CIDR ranges separated by commas: ${(e as Error).message}` });
          return z.NEVER;
        }
      }),
  })
  .superRefine((env, ctx) => {
    // The built-in key is public: only an explicit NODE_ENV=development may fall back to it (the worker runs
    // under tsx without NODE_ENV, vitest sets "test": both need a real key).
    if (!env.PORTAL_ENCRYPTION_KEY && env.NODE_ENV !== "development") {
      ctx.addIssue({
        code: "custom",
        path: ["PORTAL_ENCRYPTION_KEY"],
        message: `is required unless NODE_ENV=development (NODE_ENV is ${env.NODE_ENV ? `"${env.NODE_ENV}"` : "unset"}): set it to 32 random bytes, base64-encoded — make one with: openssl rand -base64 32`,
      });
    }
    if (env.NODE_ENV !== "production") return;
    if (!env.AUTH_SECRET) ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required in production" });
    if (!env.AUTH_URL) ctx.addIssue({ code: "custom", path: ["AUTH_URL"], message: "is required in production (the portal's public URL; Auth.js refuses untrusted hosts)" });
    if (env.AUTH_OIDC_ISSUER || env.AUTH_OIDC_CLIENT_ID) {
      for (const key of ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required in production when single sign-on is configured" });
      }
    } else {
      ctx.addIssue({ code: "custom", path: ["AUTH_OIDC_ISSUER"], message: "is required in production: configure an OpenID Connect provider" });
    }
  })
  .transform((env) => ({ ...env, NODE_ENV: env.NODE_ENV ?? ("development" as const) }));

export type Env = z.infer<typeof ZEnv>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = ZEnv.safeParse(source);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function oidcConfigured(e: Env = env()): boolean {
  return Boolean(e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_CLIENT_ID && e.AUTH_OIDC_CLIENT_SECRET);
}
