// Request handling shared by the /api/v1 cluster routes; the answers' shapes live in lib/api/v1-clusters.ts.
import type { z } from "zod";
import { AppError, isAppError, validationError } from "@/lib/errors";

/** The request body as JSON parsed with `schema`; VALIDATION (400) with fieldErrors otherwise. */
export async function parseJsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new AppError("VALIDATION", "The request body must be a JSON object.", { _form: ["The request body must be a JSON object"] });
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw validationError(r.error);
  return r.data;
}

const FIELD_NAMES: Record<string, string> = { teamId: "team", templateSlug: "template" };

/** The use case names some fields differently (teamId, templateSlug): report them under the body's names. */
export function renameFieldErrors(e: unknown): unknown {
  if (!isAppError(e) || !e.fieldErrors) return e;
  const fieldErrors = Object.fromEntries(Object.entries(e.fieldErrors).map(([k, v]) => [FIELD_NAMES[k] ?? k, v]));
  return new AppError(e.code, e.message, fieldErrors);
}
