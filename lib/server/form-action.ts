import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { DomainContext } from "@/lib/domain/context";
import { AppError, type FieldErrors } from "@/lib/errors";
import { type ActionState, formToObject, runAction, submittedValues } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

type Outcome<D> = { message: string; data?: D; revalidate?: string[]; redirectTo?: string };

export type FormActionOptions<Out, D> = {
  /**
   * The form's fields → the use case's input, when they differ (people's units, checkboxes). May throw a
   * VALIDATION AppError naming the form's fields; the use case's schema validates whatever it returns.
   */
  fromForm?: (fields: Record<string, unknown>) => unknown;
  /** The form's name for an input field it renames, so the use case's errors land next to the right field. */
  fieldNames?: Record<string, string>;
  /** Fields never sent back with a failure (an access key): the person types them again. */
  secretFields?: string[];
  /** What the person reads after success, which pages show stale data now, where to go next. */
  done: (out: Out, fields: Record<string, unknown>) => Outcome<D>;
};

function renameFields(errors: FieldErrors, names: Record<string, string>): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [names[k] ?? k, v]));
}

/**
 * A use case as a server action for `useActionState`: FormData in, the use case's own validation and
 * permission, field errors under the form's names, Next.js control flow passed through (runAction).
 */
export function formAction<Out, D = undefined>(useCase: { untrusted(ctx: DomainContext, raw: unknown): Promise<Out> }, options: FormActionOptions<Out, D>) {
  // The previous state is not read: each submission stands on its own. A failure carries what was sent, so
  // the form shows it again (React resets a form after its action; the fields' defaultValue comes from here).
  return async (_prev: unknown, form: FormData): Promise<ActionState<D>> => {
    const fields = formToObject(form);
    const state = await runAction<D>(async () => {
      try {
        const out = await useCase.untrusted(await domainContext(), options.fromForm ? options.fromForm(fields) : fields);
        const { message, data, revalidate = [], redirectTo } = options.done(out, fields);
        for (const path of revalidate) revalidatePath(path);
        if (redirectTo) redirect(redirectTo);
        return { message, data };
      } catch (e) {
        if (e instanceof AppError && e.fieldErrors && options.fieldNames) throw new AppError(e.code, e.message, renameFields(e.fieldErrors, options.fieldNames));
        throw e;
      }
    });
    if (state.ok) return state;
    const values = submittedValues(fields);
    for (const name of options.secretFields ?? []) delete values[name];
    return { ...state, values };
  };
}
