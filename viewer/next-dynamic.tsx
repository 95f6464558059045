// next/dynamic in the published viewer: the component's code is fetched when it first renders.
import { lazy, Suspense, type ComponentType } from "react";

export default function dynamic<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }));
  return function Dynamic(props: P) {
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
