// next/link in the published viewer: a plain link, with the app's routes mapped to the viewer's
// pages. Pages the viewer does not have (launch, docs) lead to its home page.
import type { AnchorHTMLAttributes } from "react";
import { COMPARE_PAGE, HOME_PAGE, MATRIX_PAGE, RUN_PAGE, SERIES_PAGE } from "@/lib/publish/published-index";

type Props = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; prefetch?: boolean };

/** The viewer's page for an app path, relative to the viewer's folder. */
export function viewerHref(href: string): string {
  const url = new URL(href, "http://app.invalid");
  if (url.pathname === "/compare") return `${COMPARE_PAGE}${url.search}`;
  if (url.pathname === "/matrix") return `${MATRIX_PAGE}${url.search}`;
  if (url.pathname === "/series") return `${SERIES_PAGE}${url.search}`;
  const run = /^\/runs\/([^/]+)$/.exec(url.pathname);
  if (run) return `${RUN_PAGE}?id=${run[1]}`;
  return HOME_PAGE;
}

export default function Link({ href, ...props }: Props) {
  delete props.prefetch; // nothing is prefetched here
  return <a href={viewerHref(href)} {...props} />;
}
