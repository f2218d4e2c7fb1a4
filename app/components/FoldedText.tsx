import Typography from "antd/es/typography";

// A long text (a claim's or a risk event's description, an inspection's findings) shows its first
// lines and folds the rest behind 展开, with 收起 to fold it again, so that one long text does not
// push a list's other rows or a page's other facts out of sight. Line breaks are kept.

/** Texts up to this many characters are shown as they are: they fit in a few lines anyway. */
const SHORT = 80;

export function FoldedText({ text, rows = 3 }: { text: string; rows?: number }) {
  if ([...text].length <= SHORT && !text.includes("\n")) return <>{text}</>;
  return (
    <Typography.Paragraph
      data-testid="folded-text"
      style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}
      ellipsis={{ rows, expandable: "collapsible", symbol: (expanded) => (expanded ? "收起" : "展开") }}
    >
      {text}
    </Typography.Paragraph>
  );
}
