import { and, ilike, or, type Column, type SQL } from "drizzle-orm";
import { organisationNameSearches } from "~/shared/insurer-short-names";
import { likePattern } from "../pagination.server";

/**
 * An organisation's name column answering a search: the name holding what was typed, or, for an
 * insurer's short name in it (太保), the part of the name it stands for (中国太平洋财产保险) with the rest.
 */
export function organisationNameLike(name: Column, q: string): SQL {
  return or(...organisationNameSearches(q).map((parts) => and(...parts.map((part) => ilike(name, likePattern(part))))))!;
}
