import { ACTIVE_CLUSTER } from "@/lib/cluster/view";
import { liveMessage } from "@/lib/server/cluster";
import { launcher, launchSnapshot } from "@/lib/server/launches";

export const dynamic = "force-dynamic";

/** Changes reach the browser within this long; several changes in between make one event. */
const COALESCE_MS = 250;
/** While a job is going, its rate and ETA move with time: an event at least this often. */
const TICK_MS = 1000;
/** While nothing goes on, the workspace is still looked at this often: a run or job started elsewhere shows up within it. */
const IDLE_SCAN_TICKS = 5;

/** Server-sent events: the launch jobs with their runs' progress, on every change; and what the workspace shows live (runs started anywhere, cluster jobs), every tick while any is going. */
export function GET(request: Request): Response {
  const events = launcher().events;
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let pending: NodeJS.Timeout | null = null;
      let closed = false;
      let live = false;
      const send = async () => {
        pending = null;
        const message = await liveMessage();
        live = message.workspace !== null && (message.workspace.runs.length > 0 || message.workspace.cluster.some((job) => ACTIVE_CLUSTER.includes(job.state)));
        if (!closed) controller.enqueue(encoder.encode(`data: ${JSON.stringify(message)}\n\n`));
      };
      const schedule = () => {
        pending ??= setTimeout(() => void send(), COALESCE_MS);
      };
      let idleTicks = 0;
      const tick = setInterval(() => {
        if (live || launchSnapshot().some((job) => job.state === "running" || job.state === "cancelling")) return schedule();
        // nothing going on: the workspace is looked at now and then, so that a run or job started
        // elsewhere shows up (the event also keeps proxies from closing an idle stream)
        idleTicks = (idleTicks + 1) % IDLE_SCAN_TICKS;
        if (idleTicks === 0) schedule();
      }, TICK_MS);
      events.on("change", schedule);
      stop = () => {
        closed = true;
        events.off("change", schedule);
        clearInterval(tick);
        if (pending) clearTimeout(pending);
      };
      request.signal.addEventListener("abort", () => {
        stop();
        controller.close();
      });
      void send();
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform" } });
}
