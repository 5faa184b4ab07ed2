import { z } from "zod";
import { AppError } from "@/lib/errors";

// Keyset ("seek") paging over (createdAt DESC, id DESC): a page costs the same at row 10 and at row 10,000,
// and nothing counts every row. Cursors are opaque to the browser: base64url of "<iso time>|<id>".

export type Cursor = { createdAt: Date; id: string };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`, "utf8").toString("base64url");
}

export function decodeCursor(raw: string): Cursor {
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  const createdAt = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (bar < 1 || Number.isNaN(createdAt.getTime()) || !/^[A-Za-z0-9_-]{1,64}$/.test(id))
    throw new AppError("VALIDATION", "That page link is no longer valid; start from the first page.", { cursor: ["invalid page cursor"] });
  return { createdAt, id };
}

/** Rows strictly older than the cursor. `createdAt <= c` bounds the index scan; the OR only breaks ties. */
export function olderThan(c: Cursor) {
  return { createdAt: { lte: c.createdAt }, OR: [{ createdAt: { lt: c.createdAt } }, { id: { lt: c.id } }] };
}

/** Rows strictly newer than the cursor. */
export function newerThan(c: Cursor) {
  return { createdAt: { gte: c.createdAt }, OR: [{ createdAt: { gt: c.createdAt } }, { id: { gt: c.id } }] };
}

export type Page<T> = {
  items: T[];
  /** Cursor for the next (older) page, when there is one. */
  olderCursor: string | null;
  /** Cursor for the previous (newer) page, when there is one. */
  newerCursor: string | null;
};

/**
 * Turns a query result fetched with `take: limit + 1` into a page. `direction` says which way the query
 * walked: "older" (ORDER BY createdAt DESC, the default) or "newer" (ASC, rows are reversed here).
 */
export function toPage<T extends Cursor>(rows: T[], limit: number, direction: "older" | "newer", hadCursor: boolean): Page<T> {
  const more = rows.length > limit;
  const slice = rows.slice(0, limit);
  const items = direction === "newer" ? slice.reverse() : slice;
  const first = items[0];
  const last = items[items.length - 1];
  const hasOlder = direction === "older" ? more : hadCursor;
  const hasNewer = direction === "older" ? hadCursor : more;
  return {
    items,
    olderCursor: hasOlder && last ? encodeCursor(last) : null,
    newerCursor: hasNewer && first ? encodeCursor(first) : null,
  };
}

/** "" and whitespace from URL search params mean "no filter". */
export function blankToUndefined(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** An optional URL filter: blank means absent. */
export const optionalFilter = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

/** The paging fields every keyset-paged list accepts from the URL. */
export const keysetPageFields = {
  after: optionalFilter(z.string().max(200)),
  before: optionalFilter(z.string().max(200)),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
};
