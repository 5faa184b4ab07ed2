// Values the integration tier's global setup provides to tests (`inject("...")` from vitest).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server (database `postgres`). */
    TEST_PG_ADMIN_URL: string;
    /** Admin kubeconfig path of the local host cluster `test`. */
    TEST_KUBECONFIG: string;
  }
}
