import type { KubernetesObject, V1CustomResourceDefinition, V1NetworkPolicy } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { loadManifests } from "./apply";

describe("loadManifests", () => {
  it("keeps wire-format keys that a plain YAML parse would lose in client-node's serializer", () => {
    const [crd, np, cr] = loadManifests(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: things.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Thing, plural: things }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, x-kubernetes-preserve-unknown-fields: true }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: n }
spec:
  podSelector: {}
  ingress: [{ from: [{ podSelector: {} }] }]
---
apiVersion: example.com/v1
kind: Thing
metadata: { name: t }
spec: { anything: [1, 2] }
---
`);
    // typed model names, which client-node's serializer maps back to the wire names
    const crdSpec = (crd as V1CustomResourceDefinition).spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec;
    expect(crdSpec).toMatchObject({ type: "object", x_kubernetes_preserve_unknown_fields: true });
    expect((np as V1NetworkPolicy).spec?.ingress?.[0]?._from).toMatchObject([{ podSelector: {} }]);
    expect((cr as KubernetesObject & { spec: unknown }).spec).toEqual({ anything: [1, 2] });
  });
});
