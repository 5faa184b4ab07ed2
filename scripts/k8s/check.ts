/**
 * Smoke checks for a (local or real) Kubernetes cluster, with @kubernetes/client-node 2.x.
 *
 *   npx tsx scripts/k8s/check.ts [--name dev | --kubeconfig /path]
 *
 * Each check is exported so tests can run them one by one (scripts/k8s/cluster.int.test.ts).
 */
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { kubeconfigPath } from './locations';
import { parseArgs } from './args';

export interface Clients {
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
}

export function clientsFor(kubeconfigFile: string): Clients {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigFile);
  return { kc, core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value; throws with the last observation on timeout. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = '';
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what} ${last ? `(${String(last)})` : ''}`);
    await sleep(500);
  }
}

/** HTTP status of a client-node ApiException (0 when it is something else). */
export function statusOf(e: unknown): number {
  return e instanceof k8s.ApiException ? e.code : 0;
}

/** Message of a Kubernetes Status in an ApiException body. */
export function messageOf(e: unknown): string {
  if (e instanceof k8s.ApiException) {
    const body: unknown = e.body;
    if (typeof body === 'string') {
      try {
        return (JSON.parse(body) as { message?: string }).message ?? body;
      } catch {
        return body;
      }
    }
    if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  }
  return e instanceof Error ? e.message : String(e);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(3).toString('hex')}`;
}

export async function createNamespace(c: Clients, name: string, labels: Record<string, string> = {}): Promise<void> {
  await c.core.createNamespace({ body: { metadata: { name, labels: { 'vcp.dev/check': 'true', ...labels } } } });
  // ServiceAccount admission rejects pods until the namespace's "default" SA exists.
  await eventually(`ServiceAccount default in ${name}`, async () =>
    c.core.readNamespacedServiceAccount({ name: 'default', namespace: name }),
  );
}

export async function deleteNamespace(c: Clients, name: string, wait = false, timeoutMs = 120_000): Promise<void> {
  try {
    await c.core.deleteNamespace({ name });
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  if (!wait) return;
  await eventually(
    `namespace ${name} to be deleted`,
    async () => {
      try {
        const ns = await c.core.readNamespace({ name });
        throw new Error(`still ${ns.status?.phase}: ${JSON.stringify(ns.status?.conditions?.filter((x) => x.status === 'True') ?? [])}`);
      } catch (e) {
        if (statusOf(e) === 404) return true;
        throw e;
      }
    },
    timeoutMs,
  );
}

// ----------------------------------------------------------------------------------------------
// Checks
// ----------------------------------------------------------------------------------------------

export async function checkNodesReady(c: Clients, min = 3): Promise<string> {
  const nodes = await eventually(`${min} Ready nodes`, async () => {
    const list = await c.core.listNode();
    const ready = list.items.filter((n) => n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
    return ready.length >= min ? ready : null;
  });
  const n = nodes[0]!;
  return `${nodes.length} nodes Ready (e.g. ${n.metadata?.name}: cpu ${n.status?.allocatable?.cpu}, memory ${n.status?.allocatable?.memory}, pods ${n.status?.allocatable?.pods})`;
}

export async function checkStatefulSet(c: Clients, namespace: string): Promise<string> {
  const labels = { app: 'vcp-check-web' };
  await c.apps.createNamespacedStatefulSet({
    namespace,
    body: {
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        serviceName: 'web',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'registry.k8s.io/pause:3.10',
                resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
              },
            ],
          },
        },
      },
    },
  });
  const sts = await eventually(
    'StatefulSet web to have 1 ready replica',
    async () => {
      const s = await c.apps.readNamespacedStatefulSet({ name: 'web', namespace });
      return s.status?.readyReplicas === 1 ? s : null;
    },
    90_000,
  );
  const pod = await c.core.readNamespacedPod({ name: 'web-0', namespace });
  if (pod.status?.phase !== 'Running') throw new Error(`pod web-0 is ${pod.status?.phase}, expected Running`);
  return `StatefulSet ready ${sts.status?.readyReplicas}/${sts.spec?.replicas}; pod web-0 Running on ${pod.spec?.nodeName} (IP ${pod.status?.podIP})`;
}

export async function checkNamespaceDeletion(c: Clients, namespace: string): Promise<string> {
  const t0 = Date.now();
  await deleteNamespace(c, namespace, true);
  return `namespace ${namespace} (with its pods) deleted in ${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

/**
 * The quota controller fills in status.used only once its informers for every quotable resource have
 * synced, and a discovery change blocks it for another sync; on a freshly started cluster on a busy
 * machine that took over 60 s once (CI, 2 cores), so the default wait is generous.
 */
export async function checkResourceQuota(c: Clients, namespace: string, timeoutMs = 150_000): Promise<string> {
  await c.core.createNamespacedResourceQuota({
    namespace,
    body: { metadata: { name: 'quota' }, spec: { hard: { pods: '10', configmaps: '5', 'requests.cpu': '4' } } },
  });
  await c.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm1' }, data: { a: 'b' } } });
  const q = await eventually(
    'ResourceQuota status.used',
    async () => {
      const rq = await c.core.readNamespacedResourceQuota({ name: 'quota', namespace });
      const used = rq.status?.used;
      return used && Number(used.configmaps ?? 0) >= 2 && used.pods !== undefined ? rq : null;
    },
    timeoutMs,
  );
  return `ResourceQuota used ${JSON.stringify(q.status?.used)} of ${JSON.stringify(q.status?.hard)}`;
}

export async function checkPodSecurityRejects(c: Clients, namespace: string): Promise<string> {
  try {
    await c.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: 'privileged' },
        spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', securityContext: { privileged: true } }] },
      },
    });
  } catch (e) {
    const code = statusOf(e);
    const msg = messageOf(e);
    if (code === 403 && /violates PodSecurity "restricted/.test(msg)) return `rejected with 403: ${msg}`;
    throw new Error(`expected 403 PodSecurity rejection, got ${code}: ${msg}`);
  }
  throw new Error('privileged pod was admitted in a restricted namespace');
}

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

/** Runs every check against a cluster; cleans up its namespaces. */
export async function runChecks(kubeconfigFile: string, log: (r: CheckResult) => void = () => {}): Promise<CheckResult[]> {
  const c = clientsFor(kubeconfigFile);
  const stsNs = uniqueName('vcp-check-sts');
  const quotaNs = uniqueName('vcp-check-quota');
  const pssNs = uniqueName('vcp-check-pss');
  const results: CheckResult[] = [];
  const run = async (name: string, fn: () => Promise<string>) => {
    const t0 = Date.now();
    let r: CheckResult;
    try {
      r = { name, ok: true, detail: await fn(), ms: Date.now() - t0 };
    } catch (e) {
      r = { name, ok: false, detail: messageOf(e), ms: Date.now() - t0 };
    }
    results.push(r);
    log(r);
    return r.ok;
  };
  try {
    await run('nodes Ready', () => checkNodesReady(c));
    if (await run('StatefulSet ready', async () => (await createNamespace(c, stsNs), checkStatefulSet(c, stsNs)))) {
      await run('namespace deletion finishes', () => checkNamespaceDeletion(c, stsNs));
    }
    await run('ResourceQuota status.used', async () => (await createNamespace(c, quotaNs), checkResourceQuota(c, quotaNs)));
    await run('PodSecurity restricted rejects privileged pod', async () => {
      await createNamespace(c, pssNs, { 'pod-security.kubernetes.io/enforce': 'restricted' });
      return checkPodSecurityRejects(c, pssNs);
    });
  } finally {
    for (const ns of [stsNs, quotaNs, pssNs]) await deleteNamespace(c, ns).catch(() => {});
  }
  return results;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const file =
    typeof args.kubeconfig === 'string'
      ? args.kubeconfig
      : kubeconfigPath(typeof args.name === 'string' ? args.name : 'dev');
  console.log(`[k8s check] ${file}`);
  const results = await runChecks(file, (r) =>
    console.log(`[k8s check] ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${(r.ms / 1000).toFixed(1)}s): ${r.detail}`),
  );
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(`[k8s check] FAILED: ${(e as Error).message}`);
    process.exit(1);
  });
}
