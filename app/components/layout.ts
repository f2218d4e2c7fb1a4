// Columns of a page's Descriptions by screen width: one on a phone, three on a desktop.
export const DESCRIPTION_COLUMNS = { xs: 1, sm: 2, md: 3, lg: 3, xl: 3, xxl: 3 } as const;

/**
 * A list's or figure table's width on a narrow screen (1366×768 included): as wide as its columns
 * need, scrolling sideways inside its box, with the sideways scrollbar kept at the bottom of the
 * window (sticky) so the last column is in reach without scrolling to the table's end first.
 */
export const WIDE_TABLE = { scroll: { x: "max-content" }, sticky: { offsetHeader: 0 } } as const;
