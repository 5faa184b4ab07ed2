import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", ".data/**", "node_modules/**", "test-results/**", "next-env.d.ts"] },
  {
    // Layering (README: Architecture): the domain knows nothing of Next.js or React.
    files: ["lib/domain/**", "lib/db/**", "lib/kube/**", "lib/reconciler/**", "lib/authz/**", "lib/vcluster/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "lib/domain and lower layers must not depend on Next.js." },
            { group: ["react", "react-dom", "react/*"], message: "lib/domain and lower layers must not depend on React." },
            { group: ["@/app/*", "@/components/*"], message: "imports go one way: app → components → lib." },
            { group: ["@/scripts/*", "**/scripts/*"], message: "test infrastructure under scripts/ must not be imported by product code." },
          ],
        },
      ],
    },
  },
  {
    // Test helpers named use* are not React hooks.
    files: ["**/*.test.ts", "**/*.test.tsx", "scripts/testenv/**", "e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["@/app/*"], message: "components must not import routes." }] }] },
  },
];

export default config;
