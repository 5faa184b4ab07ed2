import { describe, expect, it } from "vitest";
import { diffRows, settingsText } from "./text-diff";

describe("text diff", () => {
  it("counts added and removed lines and numbers both sides", () => {
    const { rows, added, removed } = diffRows("a\nb\nc\n", "a\nB\nc\n");
    expect({ added, removed }).toEqual({ added: 1, removed: 1 });
    expect(rows).toEqual([
      { kind: "same", text: "a", oldNo: 1, newNo: 1 },
      { kind: "del", text: "b", oldNo: 2 },
      { kind: "add", text: "B", newNo: 2 },
      { kind: "same", text: "c", oldNo: 3, newNo: 3 },
    ]);
  });

  it("folds long unchanged runs to the context around changes", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n");
    const after = before.replace("l10", "L10");
    const { rows } = diffRows(before, after, 2);
    expect(rows[0]).toEqual({ kind: "skip", count: 8 });
    expect(rows.at(-1)).toEqual({ kind: "skip", count: 7 });
    expect(rows.filter((r) => r.kind === "same")).toHaveLength(4);
  });

  it("treats \\r\\n and \\n line ends as the same, so a pasted Windows text diffs only where it changed", () => {
    const before = "a: 1\nb: 2\nc: 3\n";
    const after = "a: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n";
    expect(diffRows(before, after)).toMatchObject({ added: 1, removed: 0 });
  });

  it("reports nothing for equal texts", () => {
    expect(diffRows("x\n", "x\n")).toMatchObject({ added: 0, removed: 0 });
  });

  it("renders settings one per line", () => {
    const s = settingsText({ kubernetesVersion: "1.36", chartVersion: "0.30.0", cpuMillicores: 1000, memoryMiB: 2048, defaultTtlHours: 8, maxTtlHours: 24, approval: "AUTO", expiryAction: "DELETE", podSecurityStandard: "restricted", isolateNetwork: true });
    expect(s.split("\n")).toContain("approval: AUTO");
  });
});
