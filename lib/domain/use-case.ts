import type { z } from "zod";
import { type Action, can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { parseInput } from "@/lib/domain/parse-input";
import { forbidden } from "@/lib/errors";

// A use case declares, at the top of its file, what it takes (a zod schema), who may call it, and its body.
// The adapters (lib/server/form-action.ts for server actions, the /api/v1 routes) and the authorization table
// read these declarations instead of repeating them.

/** Who may call a use case. */
export type Permission =
  /** An action of the permission table that needs no target: checked before the body runs. */
  | { action: Action; refusal: string }
  /** An action of the permission table checked by the body on the row it loads (a cluster, a token, a team). */
  | { action: Action; on: "cluster" | "token" | "team" }
  /** Anyone signed in (their own things only: the body scopes every query to the actor). */
  | "signed-in";

export type UseCase<S extends z.ZodType, Out, Deps = undefined> = {
  /** Typed entry for code and tests. */
  (ctx: DomainContext, raw: z.input<S>, deps?: Deps): Promise<Out>;
  /** The same, for input nobody has checked yet (a form, a request body): the schema validates it. */
  untrusted(ctx: DomainContext, raw: unknown): Promise<Out>;
  readonly useCase: string;
  readonly input: S;
  readonly permission: Permission;
};

export function defineUseCase<S extends z.ZodType, Out, Deps = undefined>(declaration: {
  name: string;
  input: S;
  permission: Permission;
  run: (ctx: DomainContext, input: z.output<S>, deps?: Deps) => Promise<Out>;
}): UseCase<S, Out, Deps> {
  const { permission } = declaration;
  const execute = async (ctx: DomainContext, raw: unknown, deps?: Deps) => {
    // Refused before validation: someone who may not call it learns nothing about its input.
    if (typeof permission === "object" && "refusal" in permission && !can(ctx.actor, permission.action)) throw forbidden(permission.refusal);
    return declaration.run(ctx, parseInput(declaration.input, raw), deps);
  };
  const typed = (ctx: DomainContext, raw: z.input<S>, deps?: Deps) => execute(ctx, raw, deps);
  return Object.assign(typed, {
    untrusted: (ctx: DomainContext, raw: unknown) => execute(ctx, raw),
    useCase: declaration.name,
    input: declaration.input,
    permission,
  });
}
