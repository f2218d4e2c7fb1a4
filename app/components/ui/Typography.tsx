import type { CSSProperties, MouseEventHandler, ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's typography (secondary, danger… text, titles, links), as its stylesheet draws it, without
// its scripts: antd's brings its editing, copying and folding along (decision 042). A text folded
// by lines is components/FoldedText, which is antd's.

type TextType = "secondary" | "success" | "warning" | "danger";

interface TextProps {
  type?: TextType;
  strong?: boolean;
  code?: boolean;
  /** Struck through (what a change removed). */
  delete?: boolean;
  style?: CSSProperties;
  className?: string;
  children?: ReactNode;
  "data-testid"?: string;
}

function useTypographyClass({ type, className }: Pick<TextProps, "type" | "className">) {
  return useAntdClass("ant-typography", type && `ant-typography-${type}`, className);
}

function inner({ strong, code, delete: struck, children }: Pick<TextProps, "strong" | "code" | "delete" | "children">) {
  const coded = code ? <code>{children}</code> : children;
  const content = struck ? <del>{coded}</del> : coded;
  return strong ? <strong>{content}</strong> : content;
}

function Text({ type, style, className, "data-testid": testId, ...content }: TextProps) {
  return (
    <span className={useTypographyClass({ type, className })} style={style} data-testid={testId}>
      {inner(content)}
    </span>
  );
}

function Paragraph({ type, style, className, "data-testid": testId, ...content }: TextProps) {
  return (
    <div className={useTypographyClass({ type, className })} style={style} data-testid={testId}>
      {inner(content)}
    </div>
  );
}

function Title({ level = 1, type, style, className, children }: TextProps & { level?: 1 | 2 | 3 | 4 | 5 }) {
  const Heading = `h${level}` as const;
  return (
    <Heading className={useTypographyClass({ type, className })} style={style}>
      {children}
    </Heading>
  );
}

function Link({
  href,
  onClick,
  type,
  style,
  className,
  children,
}: TextProps & { href?: string; onClick?: MouseEventHandler<HTMLAnchorElement> }) {
  return (
    <a className={useTypographyClass({ type, className })} style={style} href={href} onClick={onClick}>
      {children}
    </a>
  );
}

export const Typography = { Text, Paragraph, Title, Link };
