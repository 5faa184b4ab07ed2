import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { blankToUndefined, decodeCursor, encodeCursor, newerThan, olderThan, toPage } from "./keyset-cursor";

const row = (i: number) => ({ id: `c${String(i).padStart(3, "0")}`, createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)) });

describe("keyset cursors", () => {
  it("round-trips and is opaque", () => {
    const c = row(7);
    const s = encodeCursor(c);
    expect(s).not.toContain(c.id);
    expect(decodeCursor(s)).toEqual(c);
  });

  it("refuses tampered cursors with a readable error", () => {
    for (const bad of ["", "nonsense", Buffer.from("2026-01-01T00:00:00.000Z|id with spaces").toString("base64url"), Buffer.from("not-a-date|abc").toString("base64url")]) {
      expect(() => decodeCursor(bad)).toThrow(AppError);
    }
  });

  it("bounds the index scan and breaks ties on id", () => {
    const c = row(1);
    expect(olderThan(c)).toEqual({ createdAt: { lte: c.createdAt }, OR: [{ createdAt: { lt: c.createdAt } }, { id: { lt: c.id } }] });
    expect(newerThan(c)).toEqual({ createdAt: { gte: c.createdAt }, OR: [{ createdAt: { gt: c.createdAt } }, { id: { gt: c.id } }] });
  });

  it("pages forward: first page has only an older link", () => {
    const rows = [5, 4, 3].map(row); // fetched limit+1 = 3 for limit 2
    const p = toPage(rows, 2, "older", false);
    expect(p.items.map((r) => r.id)).toEqual(["c005", "c004"]);
    expect(p.newerCursor).toBeNull();
    expect(decodeCursor(p.olderCursor!)).toEqual(row(4));
  });

  it("pages forward: last page has only a newer link", () => {
    const p = toPage([2, 1].map(row), 2, "older", true);
    expect(p.olderCursor).toBeNull();
    expect(decodeCursor(p.newerCursor!)).toEqual(row(2));
  });

  it("pages backward: rows come ascending and are shown newest first", () => {
    const p = toPage([3, 4, 5].map(row), 2, "newer", true);
    expect(p.items.map((r) => r.id)).toEqual(["c004", "c003"]);
    expect(decodeCursor(p.newerCursor!)).toEqual(row(4));
    expect(decodeCursor(p.olderCursor!)).toEqual(row(3));
    const top = toPage([3, 4].map(row), 2, "newer", true);
    expect(top.newerCursor).toBeNull();
  });

  it("treats blank search params as absent", () => {
    expect(blankToUndefined("  ")).toBeUndefined();
    expect(blankToUndefined(" a ")).toBe("a");
    expect(blankToUndefined(3)).toBe(3);
  });
});
