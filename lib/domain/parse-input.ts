import type { z } from "zod";
import { validationError } from "@/lib/errors";

/** zod-validate a use case's input; failures become a VALIDATION AppError with per-field messages. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw validationError(r.error);
  return r.data;
}
