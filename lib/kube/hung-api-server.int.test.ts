// A hung API server (accepts connections, never answers) must fail requests by their deadline, as a transient
// error the reconciler retries with backoff — never hang a step (and with it its lease) for good.
import net from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyError } from "@/lib/reconciler/errors";
import { kubeClientFromConfig } from "./client";
import { KubeError } from "./errors";
import { observe } from "./vcluster-control-plane";
import { testSpec, uniqueTeam } from "@/scripts/vcluster-emulator/testing";

let server: net.Server;
const sockets = new Set<net.Socket>();
let port = 0;

beforeAll(async () => {
  server = net.createServer((s) => {
    sockets.add(s); // accepted, and then nothing: no TLS handshake, no answer
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

describe("a hung API server", () => {
  it("fails a request at its deadline with a transient, readable error", async () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "hung", server: `https://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "hung", cluster: "hung", user: "u" }],
      currentContext: "hung",
    });
    const client = kubeClientFromConfig(kc, { id: "hung", qps: 10, burst: 10, timeoutMs: 1_500 });
    const t0 = Date.now();
    const err = await observe(client, testSpec(uniqueTeam(), "stuck")).catch((e: unknown) => e);
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).kind).toBe("Unavailable");
    expect((err as KubeError).message).toMatch(/ETIMEDOUT/);
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(30_000); // it did not hang
    expect(classifyError(err).class).toBe("transient");
  });
});
