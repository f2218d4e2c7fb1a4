// A list's search box: what it takes, worded once for the browser's rule and the server's refusal.
// Too long a search is refused on its field, never dropped (which would list everything).

export const SEARCH_MAX = 100;

export const searchTooLong = (max: number = SEARCH_MAX) => `查询内容不能超过${max}个字`;

/** The antd rule of a search field: the length the server takes, counted as it counts it (trimmed). */
export const searchRule = (max: number = SEARCH_MAX) => ({
  max,
  message: searchTooLong(max),
  transform: (value: unknown) => (typeof value === "string" ? value.trim() : value),
});
