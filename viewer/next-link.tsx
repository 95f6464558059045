// next/link in the published viewer: a plain link, with the app's routes mapped to the viewer's
// pages. A run has no page of its own here; its link opens its row on the viewer's home page.
import type { AnchorHTMLAttributes } from "react";
import { COMPARE_PAGE, HOME_PAGE } from "@/lib/publish/published-index";

type Props = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; prefetch?: boolean };

/** The viewer's page for an app path, relative to the viewer's folder. */
export function viewerHref(href: string): string {
  const url = new URL(href, "http://app.invalid");
  if (url.pathname === "/compare") return `${COMPARE_PAGE}${url.search}`;
  const run = /^\/runs\/([^/]+)$/.exec(url.pathname);
  if (run) return `${HOME_PAGE}#run-${run[1]}`;
  return HOME_PAGE;
}

export default function Link({ href, ...props }: Props) {
  delete props.prefetch; // nothing is prefetched here
  return <a href={viewerHref(href)} {...props} />;
}
