import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { HostConnectionError } from "@/lib/kube/client";
import { HelmError } from "@/lib/kube/drivers/helm";
import { KubeError, toKubeError } from "@/lib/kube/errors";
import { TemplateValuesError } from "@/lib/kube/host-objects";
import { PermanentError, classifyError, readable } from "./errors";
import { SpecError } from "@/lib/domain/spec-from-row";

const apiError = (code: number, reason: string, message: string) => new ApiException(code, message, JSON.stringify({ kind: "Status", reason, message, code }), {});

describe("classifyError", () => {
  it("waits out an unreachable API server instead of failing the cluster", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
    expect(classifyError(refused).class).toBe("transient");
    expect(classifyError(toKubeError(refused)).class).toBe("transient");
    expect(classifyError(toKubeError(apiError(503, "ServiceUnavailable", "etcd down"))).class).toBe("transient");
    expect(classifyError(toKubeError(apiError(429, "TooManyRequests", "slow down"))).class).toBe("transient");
    expect(classifyError(toKubeError(apiError(409, "Conflict", "the object has been modified"))).class).toBe("transient");
    expect(classifyError(new HostConnectionError('host cluster "local" uses the LOCAL connection but KUBECONFIG is not set')).class).toBe("transient");
  });

  it("treats helm failures from the API server as transient and chart failures as permanent", () => {
    expect(classifyError(new HelmError("Kubernetes cluster unreachable: Get \"https://127.0.0.1:1/version\": dial tcp 127.0.0.1:1: connect: connection refused", 1, "helm upgrade --install")).class).toBe("transient");
    expect(classifyError(new HelmError("release demo is pending-install (another helm operation is in progress); retrying later", null, "helm status")).class).toBe("transient");
    const chart = classifyError(
      new HelmError("UPGRADE FAILED: template: vcluster/templates/statefulset.yaml:20:14: executing \"vcluster/templates/statefulset.yaml\" at <.Values.x>: nil pointer", 1, "helm upgrade --install"),
    );
    expect(chart.class).toBe("permanent");
    expect(chart.message).toMatch(/^Helm: UPGRADE FAILED: template: vcluster/);
    expect(classifyError(new HelmError("unable to build kubernetes objects from release manifest: error validating data", 1, "helm upgrade --install")).class).toBe("permanent");
    const wrapped = classifyError(new HelmError('1 error occurred:; * StatefulSet in version "v1" cannot be handled as a StatefulSet', 1, "helm upgrade --install"));
    expect(wrapped).toEqual({ class: "permanent", message: 'Helm: StatefulSet in version "v1" cannot be handled as a StatefulSet' });
  });

  it("fails at once on invalid objects and invalid templates", () => {
    expect(classifyError(toKubeError(apiError(422, "Invalid", 'Namespace "X" is invalid'))).class).toBe("permanent");
    expect(classifyError(new TemplateValuesError("The template's vcluster.yaml is not valid YAML")).class).toBe("permanent");
    expect(classifyError(new SpecError("bad pattern")).class).toBe("permanent");
    expect(classifyError(new PermanentError("did not become ready")).class).toBe("permanent");
  });

  it("retries unknown errors and missing permissions a bounded number of times", () => {
    expect(classifyError(new Error("something odd")).class).toBe("unknown");
    expect(classifyError(toKubeError(apiError(403, "Forbidden", "cannot create namespaces"))).class).toBe("unknown");
    expect(classifyError(new HelmError('helm binary not found at "nope" (set HELM_BIN)', null, "helm status")).class).toBe("unknown");
    expect(classifyError("a string").message).toBe("a string");
  });

  it("keeps messages on one bounded line", () => {
    expect(readable("a\n  b\tc")).toBe("a b c");
    expect(readable("x".repeat(2_000))).toHaveLength(1_000);
    expect(classifyError(new KubeError("Unavailable", "down", 503, undefined)).message).toBe("down");
  });
});
