// next/navigation in the published viewer: plain page loads of the viewer's own pages.
import { viewerHref } from "./next-link";

export function useRouter() {
  return { push: (href: string) => window.location.assign(viewerHref(href)), refresh: () => window.location.reload() };
}

export function useSearchParams(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}
