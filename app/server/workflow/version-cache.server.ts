import { perDatabase } from "../db.server";

/**
 * What is worked out once from a definition version (its parsed diagram, the engine's copy of it),
 * kept by the version's id with the open database: a version never changes once deployed, so a kept
 * result is never stale.
 * A failed attempt is not kept, so the next caller tries again instead of failing for as long as
 * the process lives.
 */
export function versionCache<T>(): (definitionId: string, make: () => Promise<T>) => Promise<T> {
  const keptWithDatabase = perDatabase(() => new Map<string, Promise<T>>());
  return (definitionId, make) => {
    const kept = keptWithDatabase();
    let result = kept.get(definitionId);
    if (!result) {
      result = make();
      kept.set(definitionId, result);
      result.catch(() => kept.delete(definitionId));
    }
    return result;
  };
}
