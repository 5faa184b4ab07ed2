import { Card, CardBody } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * What a page shows while its server data loads (the route's loading.tsx): the page's shape in grey, announced
 * once to screen readers by `label`. `list` for tables, `cards` for grids of cards, `detail` for one object.
 */
export function PageSkeleton({ label, variant }: { label: string; variant: "list" | "cards" | "detail" }) {
  return (
    <div className="space-y-6" role="status" aria-label={label}>
      <div className="space-y-2">
        <Skeleton className="h-4 w-20" />
        <Skeleton className="h-7 w-56 max-w-full" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      {variant === "cards" ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {Array.from({ length: 6 }, (_, i) => (
            <Skeleton key={i} className="h-36 w-full rounded-xl" />
          ))}
        </div>
      ) : variant === "detail" ? (
        <div className="grid gap-4 lg:grid-cols-3">
          <Skeleton className="h-64 w-full rounded-xl lg:col-span-2" />
          <Skeleton className="h-64 w-full rounded-xl" />
        </div>
      ) : (
        <Card>
          <CardBody className="space-y-2">
            {Array.from({ length: 8 }, (_, i) => (
              <Skeleton key={i} className="h-8 w-full" />
            ))}
          </CardBody>
        </Card>
      )}
      <span className="sr-only">{label}…</span>
    </div>
  );
}
