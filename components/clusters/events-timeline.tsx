import { CheckCircle2, CircleDot, Moon, Play, RotateCcw, Timer, Trash2, XCircle } from "lucide-react";
import { RelativeTime } from "@/components/clusters/relative-time";
import { messageParts } from "@/components/clusters/timeline-message";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import type { TClusterEvent } from "@/lib/domain/get-cluster-detail";

function iconFor(type: string) {
  if (/reject|fail|error/.test(type)) return { Icon: XCircle, tone: "text-red-600 dark:text-red-400" };
  if (/approved|ready/.test(type)) return { Icon: CheckCircle2, tone: "text-emerald-600 dark:text-emerald-400" };
  if (/sleep|slept/.test(type)) return { Icon: Moon, tone: "text-slate-500" };
  if (/wake|woke/.test(type)) return { Icon: Play, tone: "text-brand-600 dark:text-brand-100" };
  if (/delet|expire/.test(type)) return { Icon: Trash2, tone: "text-slate-500" };
  if (/retry/.test(type)) return { Icon: RotateCcw, tone: "text-brand-600 dark:text-brand-100" };
  if (/extend/.test(type)) return { Icon: Timer, tone: "text-brand-600 dark:text-brand-100" };
  return { Icon: CircleDot, tone: "text-slate-500 dark:text-slate-400" };
}

/** A message with people by name (the e-mail on hover) and times in the reader's locale and zone. */
function Message({ event }: { event: TClusterEvent }) {
  return messageParts(event.message, event.people).map((part, i) =>
    part.kind === "person" ? (
      <span key={i} title={part.person.email}>
        {part.person.name}
      </span>
    ) : part.kind === "time" ? (
      <LocalTime key={i} date={part.iso} />
    ) : (
      part.text
    ),
  );
}

/** The cluster's timeline, oldest first: requested, approved by …, namespace created, ready, … */
export function EventsTimeline({ events }: { events: TClusterEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">Nothing has happened yet.</p>;
  return (
    <ol className="space-y-3" aria-label="Timeline">
      {events.map((e) => {
        const { Icon, tone } = iconFor(e.type);
        return (
          <li key={e.id} className="flex gap-3 text-sm" data-event-type={e.type}>
            <Icon className={cn("mt-0.5 size-4 shrink-0", tone)} aria-hidden />
            <div className="min-w-0 flex-1">
              <p className="break-words text-slate-800 dark:text-slate-200">
                <Message event={e} />
              </p>
              <RelativeTime date={e.createdAt} className="text-xs text-slate-500 dark:text-slate-400" />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
