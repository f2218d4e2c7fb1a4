// The platform's antd theme: the pages' ConfigProvider and the stylesheet built from it
// (app/styles/) must use the same one, or the page's class names miss the sheet's rules.
export const theme = { token: { colorPrimary: "#1d5fa8", borderRadius: 4 } };
