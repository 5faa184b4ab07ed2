import { describe, expect, it } from "vitest";
import { matchingActions } from "./list-audit-events";

const actions = ["auth.signed_in", "cluster.kubeconfig.download", "cluster.request", "cluster.sleep", "cluster.wake", "team.quota.update", "template.version.create"];

describe("audit action filter", () => {
  it("finds an action by its exact id, by any of its dotted segments, in any case", () => {
    expect(matchingActions("cluster.sleep", actions)).toEqual(["cluster.sleep"]);
    expect(matchingActions("sleep", actions)).toEqual(["cluster.sleep"]);
    expect(matchingActions("Sleep", actions)).toEqual(["cluster.sleep"]);
    expect(matchingActions("kubeconfig", actions)).toEqual(["cluster.kubeconfig.download"]);
    expect(matchingActions("quota", actions)).toEqual(["team.quota.update"]);
    expect(matchingActions("team.quota", actions)).toEqual(["team.quota.update"]);
  });

  it("a kind finds all its actions; leading and trailing dots are ignored", () => {
    expect(matchingActions("cluster", actions)).toEqual(["cluster.kubeconfig.download", "cluster.request", "cluster.sleep", "cluster.wake"]);
    expect(matchingActions(".cluster.", actions)).toEqual(matchingActions("cluster", actions));
  });

  it("never matches a bare substring, and an empty filter matches everything", () => {
    expect(matchingActions("lee", actions)).toEqual([]);
    expect(matchingActions("team.q", actions)).toEqual([]);
    expect(matchingActions("  ", actions)).toEqual(actions);
  });
});
