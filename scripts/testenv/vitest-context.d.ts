// Values the integration tier's global setup provides to tests (`inject("...")` from vitest).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server (database `postgres`). */
    TEST_PG_ADMIN_URL: string;
    /** Admin kubeconfig path of the local host cluster `test`. */
    TEST_KUBECONFIG: string;
    /** URL of the local Helm chart repository serving the real vcluster charts (scripts/k8s/chart-repo.ts). */
    TEST_CHART_REPO: string;
  }
}
