/**
 * One value per process, whichever copy of this code asks: Next bundles a module once per
 * bundle (route handlers, pages, start-up), so a module-level cache would be kept, and filled,
 * once per bundle; what the server reads at start-up would not serve the first page.
 */
export function processWide<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const key = Symbol.for(`evalbench.catalog.${name}`);
  return (store[key] ??= create());
}
