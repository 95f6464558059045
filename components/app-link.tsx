import Link from "next/link";
import type { ComponentProps } from "react";

/**
 * A link that is never prefetched. evalbench's pages read runs on the server, and Next would
 * render every run or comparison linked on screen ahead of a click (dozens on the runs page),
 * taking the CPU from the page being used.
 */
export function AppLink(props: ComponentProps<typeof Link>) {
  return <Link prefetch={false} {...props} />;
}
