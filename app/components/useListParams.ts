import { useSearchParams } from "@remix-run/react";

/** Search, filter and page state of a list page, kept in the URL so it can be shared and reloaded. */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const goToPage = (page: number, pageSize: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    next.set("pageSize", String(pageSize));
    setParams(next);
  };
  return {
    params,
    get: (key: string) => params.get(key) ?? undefined,
    /** Replaces the filters (dropping empty ones) and goes back to page 1. */
    search(values: Record<string, unknown>) {
      const next = new URLSearchParams();
      for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== "") next.set(k, String(v));
      setParams(next);
    },
    /** Drops one filter and goes back to page 1. */
    without(key: string) {
      const next = new URLSearchParams(params);
      next.delete(key);
      next.delete("page");
      setParams(next);
    },
    goToPage,
    /** The column the server sorts by (`sort`, `order`), as a table's header asks for it; back to page 1. */
    sortBy(field: string | undefined, order: "ascend" | "descend" | null | undefined) {
      const next = new URLSearchParams(params);
      next.delete("page");
      if (field && order) {
        next.set("sort", field);
        next.set("order", order === "ascend" ? "asc" : "desc");
      } else {
        next.delete("sort");
        next.delete("order");
      }
      setParams(next);
    },
    /** A column's sortOrder (ascend, descend or null), as the URL says it is sorted. */
    sortOrder(field: string): "ascend" | "descend" | null {
      if (params.get("sort") !== field) return null;
      return params.get("order") === "asc" ? "ascend" : "descend";
    },
    /** A table's pagination of a server page, kept in the URL. */
    pagination(page: { page: number; pageSize: number; total: number; capped?: boolean }, unit = "项") {
      return {
        current: page.page,
        pageSize: page.pageSize,
        total: page.total,
        showTotal: (t: number) => `共 ${countText(t, page.capped)} ${unit}`,
        onChange: goToPage,
      };
    },
  };
}

/** A list's count as its page says it: 1000+ where the list counted only so far (the server's LIST_COUNT_CAP). */
export function countText(total: number, capped?: boolean): string {
  return capped ? `${total}+` : String(total);
}
