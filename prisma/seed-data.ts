import type { TTemplateParameters } from "@/lib/domain/template-parameters";

// The seeded people, teams and templates are part of the contract: scripts, tests and the README rely on them.

export const seedUsers = [
  { email: "admin@example.com", name: "Ada Admin", isAdmin: true, teams: [{ slug: "platform", role: "LEAD" }] },
  { email: "lead.payments@example.com", name: "Lee Lead", isAdmin: false, teams: [{ slug: "payments", role: "LEAD" }] },
  { email: "dev.payments@example.com", name: "Dana Developer", isAdmin: false, teams: [{ slug: "payments", role: "MEMBER" }] },
  { email: "dev.search@example.com", name: "Sam Search", isAdmin: false, teams: [{ slug: "search", role: "MEMBER" }] },
] as const;

export const seedTeams = [
  { slug: "payments", name: "Payments", quota: { maxClusters: 5, cpuMillicores: 8000, memoryMiB: 16384 } },
  { slug: "search", name: "Search", quota: { maxClusters: 3, cpuMillicores: 4000, memoryMiB: 8192 } },
  { slug: "platform", name: "Platform", quota: { maxClusters: 10, cpuMillicores: 16000, memoryMiB: 32768 } },
] as const;

export const seedHostCluster = {
  name: "local",
  connection: "LOCAL" as const,
  labels: { region: "local", tier: "dev" },
  capacityCpuMillicores: 32000,
  capacityMemoryMiB: 131072,
  maxClusters: 200,
};

/** The Kubernetes versions vCluster chart 0.36.1 offers (lib/vcluster/chart-versions.ts). */
const kubernetesVersion: TTemplateParameters[number] = { name: "kubernetesVersion", label: "Kubernetes version", type: "enum", options: ["1.36", "1.35", "1.34"], default: "1.36" };
const ttl = (def: number, max: number): TTemplateParameters[number] => ({ name: "ttlHours", label: "Lifetime (hours)", type: "integer", min: 1, max, default: def });

/**
 * The article's vcluster.yaml in what open-source vCluster supports: etcd as the backing store (deployed beside
 * the control plane, since embedded etcd needs a vCluster licence) and restricted pod security inside. Its
 * 2 CPU / 4Gi quota is the template's size: the portal writes the namespace's one ResourceQuota from it.
 */
export const teamDevValues = `controlPlane:
  backingStore:
    etcd:
      deploy:
        enabled: true
policies:
  podSecurityStandard: restricted
`;

export const seedTemplates: {
  slug: string;
  name: string;
  description: string;
  version: {
    kubernetesVersion: string;
    chartVersion: string;
    valuesYaml: string;
    parameters: TTemplateParameters;
    cpuMillicores: number;
    memoryMiB: number;
    defaultTtlHours: number;
    maxTtlHours: number;
    approval: "AUTO" | "REQUIRED";
    expiryAction: "DELETE" | "SLEEP";
    podSecurityStandard: "privileged" | "baseline" | "restricted";
  };
}[] = [
  {
    slug: "sandbox",
    name: "Sandbox",
    description: "A small throw-away cluster for trying things out. Ready in seconds, gone after 8 hours.",
    version: {
      kubernetesVersion: "1.36",
      chartVersion: "0.36.1",
      valuesYaml: `controlPlane:
  backingStore:
    database:
      embedded:
        enabled: true
policies:
  podSecurityStandard: baseline
`,
      parameters: [
        { name: "size", label: "Size", type: "enum", options: ["small", "medium"], default: "small" },
        kubernetesVersion,
        ttl(8, 24),
      ],
      cpuMillicores: 1000,
      memoryMiB: 2048,
      defaultTtlHours: 8,
      maxTtlHours: 24,
      approval: "AUTO",
      expiryAction: "DELETE",
      podSecurityStandard: "baseline",
    },
  },
  {
    slug: "team-dev",
    name: "Team dev",
    description: "A long-lived development cluster for a team: etcd backing store, restricted pod security, 2 CPU / 4Gi quota.",
    version: {
      kubernetesVersion: "1.36",
      chartVersion: "0.36.1",
      valuesYaml: teamDevValues,
      parameters: [kubernetesVersion, ttl(72, 720)],
      cpuMillicores: 2000,
      memoryMiB: 4096,
      defaultTtlHours: 72,
      maxTtlHours: 720,
      approval: "REQUIRED",
      expiryAction: "SLEEP",
      podSecurityStandard: "restricted",
    },
  },
  {
    slug: "ci-ephemeral",
    name: "CI ephemeral",
    description: "A tiny cluster for one pipeline run. Lives 2 hours.",
    version: {
      // The previous chart line, so pipelines pinned to it keep their Kubernetes (and both lines stay tested).
      kubernetesVersion: "1.34",
      chartVersion: "0.30.0",
      valuesYaml: `controlPlane:
  backingStore:
    database:
      embedded:
        enabled: true
`,
      parameters: [ttl(2, 4)],
      cpuMillicores: 500,
      memoryMiB: 1024,
      defaultTtlHours: 2,
      maxTtlHours: 4,
      approval: "AUTO",
      expiryAction: "DELETE",
      podSecurityStandard: "restricted",
    },
  },
];
