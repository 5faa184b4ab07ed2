import { Users } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { TTeamQuota } from "@/lib/domain/catalog";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";

function Meter({ label, used, limit, text }: { label: string; used: number; limit: number; text: string }) {
  const pct = limit > 0 ? Math.min(100, Math.round((used / limit) * 100)) : 100;
  return (
    <div>
      <div className="flex justify-between text-xs text-slate-500 dark:text-slate-400">
        <span>{label}</span>
        <span>{text}</span>
      </div>
      <div
        className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
        role="meter"
        aria-label={`${label} in use`}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={used}
        aria-valuetext={text}
      >
        <div className={`h-full rounded-full ${pct >= 90 ? "bg-red-500" : pct >= 70 ? "bg-amber-500" : "bg-brand-500"}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/** The person's teams, their role in each and how much of the team's quota live clusters reserve. */
export function TeamsSummary({ teams }: { teams: TTeamQuota[] }) {
  if (teams.length === 0)
    return <EmptyState icon={<Users className="size-5" />} title="You are not in a team yet" description="Ask an admin to add you to a team; then you can request clusters for it." />;
  return (
    <ul className="space-y-5" aria-label="Your teams">
      {teams.map((t) => (
        <li key={t.teamId} className="space-y-2" data-testid="team">
          <div className="flex items-center justify-between gap-2">
            <span className="font-medium">{t.teamName}</span>
            <Badge tone={t.role === "LEAD" ? "brand" : "neutral"}>{t.role === "LEAD" ? "Lead" : "Member"}</Badge>
          </div>
          <Meter label="Clusters" used={t.used.clusters} limit={t.limits.clusters} text={`${t.used.clusters} of ${t.limits.clusters}`} />
          <Meter label="CPU" used={t.used.cpuMillicores} limit={t.limits.cpuMillicores} text={`${formatCpu(t.used.cpuMillicores)} of ${formatCpu(t.limits.cpuMillicores)}`} />
          <Meter label="Memory" used={t.used.memoryMiB} limit={t.limits.memoryMiB} text={`${formatMemory(t.used.memoryMiB)} of ${formatMemory(t.limits.memoryMiB)}`} />
        </li>
      ))}
    </ul>
  );
}
