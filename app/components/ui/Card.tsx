import { forwardRef, type CSSProperties, type HTMLAttributes, type ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's card (a title, what sits right of it, a body), as its stylesheet draws it, without its
// scripts: antd's card brings its tabs along (decision 042). Other attributes (id, role, aria-*,
// data-*, onClick) go on the card's box.

export interface CardProps extends Omit<HTMLAttributes<HTMLDivElement>, "title"> {
  title?: ReactNode;
  extra?: ReactNode;
  size?: "small" | "default";
  type?: "inner";
  styles?: { header?: CSSProperties; body?: CSSProperties };
}

export const Card = forwardRef<HTMLDivElement, CardProps>(function Card(
  { title, extra, size, type, styles, className, children, ...box },
  ref,
) {
  const classes = useAntdClass(
    "ant-card",
    "ant-card-bordered",
    size === "small" && "ant-card-small",
    type && `ant-card-type-${type}`,
    className,
  );
  return (
    <div ref={ref} className={classes} {...box}>
      {title || extra ? (
        <div className="ant-card-head" style={styles?.header}>
          <div className="ant-card-head-wrapper">
            {title ? <div className="ant-card-head-title">{title}</div> : null}
            {extra ? <div className="ant-card-extra">{extra}</div> : null}
          </div>
        </div>
      ) : null}
      <div className="ant-card-body" style={styles?.body}>
        {children}
      </div>
    </div>
  );
});
