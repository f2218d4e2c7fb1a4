// Columns of a page's Descriptions by screen width: one on a phone, three on a desktop.
export const DESCRIPTION_COLUMNS = { xs: 1, sm: 2, md: 3, lg: 3, xl: 3, xxl: 3 } as const;
