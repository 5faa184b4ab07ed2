import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/layout/providers";
import { ThemeScript } from "@/components/layout/theme-script";
import { TIME_ZONE_COOKIE, timeSettingsFrom } from "@/components/ui/datetime";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "vcluster portal", template: "%s · vcluster portal" },
  description: "Self-service virtual Kubernetes clusters for your teams.",
  // public/: the icon in every size a browser asks for, and the web app manifest.
  icons: { icon: [{ url: "/favicon.ico", sizes: "16x16 32x32 48x48" }, { url: "/icon.svg", type: "image/svg+xml" }], apple: "/apple-touch-icon.png" },
  manifest: "/manifest.webmanifest",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The CSP nonce of this request (proxy.ts). Reading the request also renders every page per request,
  // which nonces need: a page built ahead of time would carry no nonce.
  const requestHeaders = await headers();
  const nonce = requestHeaders.get("x-nonce") ?? undefined;
  // Times are written in the person's locale and time zone (the browser keeps its zone in a cookie).
  const time = timeSettingsFrom({ acceptLanguage: requestHeaders.get("accept-language"), timeZone: (await cookies()).get(TIME_ZONE_COOKIE)?.value });
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript nonce={nonce} />
      </head>
      <body className="min-h-screen">
        <Providers time={time}>{children}</Providers>
      </body>
    </html>
  );
}
