"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { toast } from "sonner";
import type { ActionState } from "@/lib/server/action";
import { clusterKeys } from "@/lib/queries/clusters";

export type FormAction = (prev: ActionState, form: FormData) => Promise<ActionState>;
export const initialState: ActionState = { ok: false };

/**
 * After each submission: a toast with the result, and a fresh read of the cluster's status so the page
 * (and its polling) follows what the action started.
 */
export function useActionFeedback(
  state: ActionState<unknown>,
  { clusterId, onSuccess, toastErrors = true }: { clusterId?: string; onSuccess?: () => void; /** false where the form shows its errors inline */ toastErrors?: boolean } = {},
) {
  const queryClient = useQueryClient();
  const seen = useRef(state.at);
  const success = useRef(onSuccess);
  useEffect(() => {
    success.current = onSuccess;
  });
  useEffect(() => {
    if (!state.at || state.at === seen.current) return;
    seen.current = state.at;
    if (state.ok) {
      if (state.message) toast.success(state.message);
      success.current?.();
    } else if (state.message && toastErrors && !hasFieldErrors(state)) {
      toast.error(state.message);
    }
    if (clusterId) void queryClient.invalidateQueries({ queryKey: clusterKeys.detail(clusterId) });
  }, [state, clusterId, queryClient, toastErrors]);
}

/** Per-field errors are shown at their fields; a toast would only repeat "correct the highlighted fields". */
const hasFieldErrors = (s: ActionState<unknown>) => !!s.fieldErrors && Object.keys(s.fieldErrors).length > 0;

/** A polite live region carrying the latest result, visible when it is an error. */
export function resultText(state: ActionState<unknown>): { text: string; error: boolean } {
  return { text: state.message ?? "", error: !state.ok && !!state.message };
}
