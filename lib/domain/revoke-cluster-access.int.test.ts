// Integration: revoking per-person kubeconfigs against a real PostgreSQL, database level, with a fake CredentialOps
// (no virtual cluster; scripts/testenv/kubeconfig-credentials.ts): a lead's Revoke access, revocations pending until
// the cluster answers, leaving the team at sign-in, and a revocation racing a download.
import { describe, expect, it } from "vitest";
import { syncGroups } from "@/lib/auth/sync-groups";
import { downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { listClusterCredentials } from "@/lib/domain/list-cluster-credentials";
import { revokeClusterAccess } from "@/lib/domain/revoke-cluster-access";
import { serviceAccountName } from "@/lib/kube/vcluster-credentials";
import { credentialRevocationSweep } from "@/lib/reconciler/sweeps";
import { expectAppError } from "@/scripts/testenv/domain-actors";
import { FakeCredentialOps, IDP_GROUPS, quietLog, setUpKubeconfigCredentials } from "@/scripts/testenv/kubeconfig-credentials";

const suite = setUpKubeconfigCredentials();
const { ctxFor, clusterIn, audits, credentialOf, teams } = suite;

describe("revoking kubeconfig access (database level, no virtual cluster)", () => {
  it("a lead revokes a member's access: recorded, audited, applied at once when ready; that member's downloads are refused (FORBIDDEN, audited)", async () => {
    const c = await clusterIn("kc-revoke", "READY");
    const ops = new FakeCredentialOps();
    const dev = await ctxFor("dev.payments@example.com");
    await downloadKubeconfig(dev, c.id, { ops });

    // Members and another team's lead may not; another team does not even see the cluster.
    await expectAppError(revokeClusterAccess(dev, { clusterId: c.id, userId: dev.actor.id }, { ops }), "FORBIDDEN");
    await expectAppError(revokeClusterAccess(await ctxFor("dev.search@example.com"), { clusterId: c.id, userId: dev.actor.id }, { ops }), "NOT_FOUND");
    await expectAppError(revokeClusterAccess(await ctxFor("lead.payments@example.com"), { clusterId: c.id, userId: "nobody" }, { ops }), "NOT_FOUND");

    const r = await revokeClusterAccess(await ctxFor("lead.payments@example.com"), { clusterId: c.id, userId: dev.actor.id }, { ops });
    expect(r).toMatchObject({ applied: true, email: "dev.payments@example.com" });
    expect(r.message).toMatch(/stops working within seconds/);
    expect(ops.revoked).toEqual([`${c.namespace}/${serviceAccountName(dev.actor.id)}`]);
    const row = await credentialOf(c.id, "dev.payments@example.com");
    expect(row).toMatchObject({ revokeReason: "revoked", revokedAt: expect.any(Date), revocationAppliedAt: expect.any(Date) });
    expect(await audits("cluster.access.revoke", c.id)).toEqual([
      expect.objectContaining({ actorEmail: "lead.payments@example.com", teamId: teams.payments, details: expect.objectContaining({ person: "dev.payments@example.com", reason: "revoked" }) }),
    ]);
    await expectAppError(revokeClusterAccess(await ctxFor("admin@example.com"), { clusterId: c.id, userId: dev.actor.id }, { ops }), "CONFLICT");

    const refused = await expectAppError(downloadKubeconfig(dev, c.id, { ops }), "FORBIDDEN");
    expect(refused.message).toMatch(/^Your access to kc-revoke was revoked by lead\.payments@example\.com on .* Ask a lead of the team or an admin/);
    expect(await audits("cluster.kubeconfig.refused", c.id)).toEqual([expect.objectContaining({ actorEmail: "dev.payments@example.com" })]);
    expect(ops.issued).toHaveLength(1);

    // The page: the owner sees who holds what (and cannot revoke); another member sees nothing of it.
    const list = await listClusterCredentials(dev, c.id);
    expect(list).toMatchObject({ canRevoke: false, credentials: [{ email: "dev.payments@example.com", state: "revoked", revokedBy: "Lee Lead" }] });
    expect((await listClusterCredentials(await ctxFor("lead.payments@example.com"), c.id)).canRevoke).toBe(true);
  });

  it("a revocation of a sleeping or unreachable cluster stays pending until the sweep finds it READY and answering", async () => {
    const c = await clusterIn("kc-asleep", "READY");
    const ops = new FakeCredentialOps();
    const lead = await ctxFor("lead.payments@example.com");
    await downloadKubeconfig(lead, c.id, { ops });
    await suite.prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "SLEEPING" } });

    const r = await revokeClusterAccess(await ctxFor("admin@example.com"), { clusterId: c.id, userId: lead.actor.id }, { ops });
    expect(r).toMatchObject({ applied: false });
    expect(r.message).toMatch(/not running right now; their kubeconfig stops working as soon as it is reachable again/);
    expect(await credentialRevocationSweep(suite.prisma, { ops, log: quietLog })).toMatchObject({ applied: 0 });
    expect(ops.revoked).toEqual([]);

    // Awake but not answering: the error is kept and retried.
    await suite.prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "READY" } });
    ops.down = true;
    expect(await credentialRevocationSweep(suite.prisma, { ops, log: quietLog })).toMatchObject({ applied: 0, failed: 1 });
    expect((await credentialOf(c.id, "lead.payments@example.com")).revocationError).toMatch(/not answering/);

    ops.down = false;
    expect(await credentialRevocationSweep(suite.prisma, { ops, log: quietLog })).toMatchObject({ applied: 1 });
    expect(ops.revoked).toEqual([`${c.namespace}/${serviceAccountName(lead.actor.id)}`]);
    expect(await credentialOf(c.id, "lead.payments@example.com")).toMatchObject({ revocationAppliedAt: expect.any(Date), revocationError: null });
    // Idempotent.
    expect(await credentialRevocationSweep(suite.prisma, { ops, log: quietLog })).toMatchObject({ applied: 0 });
  });

  it("leaving the team (IdP IDP_GROUPS at sign-in) revokes the person's credentials; a return to the team issues afresh over a new ServiceAccount", async () => {
    const c = await clusterIn("kc-leaver", "READY");
    const ops = new FakeCredentialOps();
    const user = await suite.prisma.user.create({ data: { email: "leaver@example.com", name: "Lee Ver" } });
    await syncGroups(suite.prisma, user.id, ["team:payments"], IDP_GROUPS, quietLog);
    await downloadKubeconfig(await ctxFor("leaver@example.com"), c.id, { ops });

    const left = await syncGroups(suite.prisma, user.id, [], IDP_GROUPS, quietLog);
    expect(left).toMatchObject({ removed: ["payments"], revokedCredentials: ["kc-leaver"] });
    expect(await credentialOf(c.id, "leaver@example.com")).toMatchObject({ revokeReason: "left-team", revokedAt: expect.any(Date), revocationAppliedAt: null });
    expect(await audits("cluster.access.revoke", c.id)).toEqual([
      expect.objectContaining({ actorEmail: "system", details: expect.objectContaining({ person: "leaver@example.com", reason: "left-team" }) }),
    ]);
    await expectAppError(downloadKubeconfig(await ctxFor("leaver@example.com"), c.id, { ops }), "NOT_FOUND");

    // Back before the sweep ran: the old ServiceAccount is replaced (its tokens die), then a new token is issued.
    await syncGroups(suite.prisma, user.id, ["team:payments"], IDP_GROUPS, quietLog);
    await downloadKubeconfig(await ctxFor("leaver@example.com"), c.id, { ops });
    expect(ops.issued.map((i) => i.replace)).toEqual([false, true]);
    expect(await credentialOf(c.id, "leaver@example.com")).toMatchObject({ revokedAt: null, revokeReason: null, downloads: 2 });
  });

  it("a revocation that lands while a token is being minted wins: the download is refused and the account is deleted again", async () => {
    const c = await clusterIn("kc-race", "READY");
    const ops = new FakeCredentialOps();
    const dev = await ctxFor("dev.payments@example.com");
    await downloadKubeconfig(dev, c.id, { ops });
    const lead = await ctxFor("lead.payments@example.com");
    ops.duringIssue = async () => {
      ops.duringIssue = null;
      await revokeClusterAccess(lead, { clusterId: c.id, userId: dev.actor.id }, { ops });
    };
    await expectAppError(downloadKubeconfig(dev, c.id, { ops }), "FORBIDDEN");
    const sa = `${c.namespace}/${serviceAccountName(dev.actor.id)}`;
    // Deleted by the revoke, and once more after the racing download made it again.
    expect(ops.revoked).toEqual([sa, sa]);
    expect(await credentialOf(c.id, "dev.payments@example.com")).toMatchObject({ revokeReason: "revoked", revocationAppliedAt: expect.any(Date) });
  });
});
