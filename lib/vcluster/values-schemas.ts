// The JSON Schema of each supported chart's values (chart/values.schema.json), copied verbatim from the Go
// module github.com/loft-sh/vcluster at that tag. To add or refresh a version (Go and jq on PATH):
//
//   v=0.36.1
//   dir=$(go mod download -json "github.com/loft-sh/vcluster@v$v" | jq -r .Dir)
//   cp "$dir/chart/values.schema.json" "lib/vcluster/schemas/values-$v.schema.json"
//
// then add the version to chart-versions.ts, map it below, and write lib/vcluster/licensed-features-$v.json
// (the fields tagged `product:"pro"` in "$dir/config/config.go"; the chart's generator marks the same fields
// `"pro": true` in the schema, and licensed-features.test.ts fails until the two lists agree).
import type { TSupportedChartVersion } from "@/lib/vcluster/chart-versions";
import values030 from "@/lib/vcluster/schemas/values-0.30.0.schema.json";
import values0361 from "@/lib/vcluster/schemas/values-0.36.1.schema.json";

export const VALUES_SCHEMAS: Record<TSupportedChartVersion, object> = {
  "0.30.0": values030,
  "0.36.1": values0361,
};
