import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers are enforced by dependency-cruiser (.dependency-cruiser.cjs, `npm run lint:boundaries`).
const config = [
  ...next,
  ...nextTs,
  { ignores: ["lib/generated/**", ".next/**", ".data/**", "node_modules/**", "test-results*/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // Test helpers named use* are not React hooks.
    files: ["**/*.test.ts", "**/*.test.tsx", "scripts/testenv/**", "e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
