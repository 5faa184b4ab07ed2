"use client";

// Sets the theme class before first paint so dark mode never flashes: the saved choice, else the system's.
const themeScript = `try{var t=localStorage.getItem('theme');if(t==='dark'||(!t&&matchMedia('(prefers-color-scheme: dark)').matches))document.documentElement.classList.add('dark')}catch(e){}`;

/**
 * The no-flash theme script, in the server's HTML only: the browser runs it once while parsing <head>. On the
 * client it renders nothing — a script React creates there never runs, and React warns about it ("Encountered
 * a script tag"); React 19 skips the server's extra <head> element when it hydrates. `nonce`: the CSP nonce of
 * the request (proxy.ts), which the Content-Security-Policy requires of every inline script.
 */
export function ThemeScript({ nonce }: { nonce?: string }) {
  if (typeof window !== "undefined") return null;
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />;
}
