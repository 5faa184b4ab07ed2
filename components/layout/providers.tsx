"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Toaster } from "sonner";
import type { TTimeSettings } from "@/components/ui/datetime";
import { TimeSettingsProvider } from "@/components/ui/local-time";

/** `time`: the request's locale and time zone (app/layout.tsx), so every time renders alike on server and client. */
export function Providers({ time, children }: { time: TTimeSettings; children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } }));
  return (
    <QueryClientProvider client={queryClient}>
      <TimeSettingsProvider value={time}>{children}</TimeSettingsProvider>
      <Toaster richColors closeButton position="bottom-right" />
    </QueryClientProvider>
  );
}
