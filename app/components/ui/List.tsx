import type { CSSProperties, HTMLAttributes, ReactNode } from "react";
import { useAntdClass } from "./antd-class";
import { EmptyState } from "./EmptyState";
import { Pagination, type PaginationProps } from "./Pagination";

// antd's list (a header, items with their actions, the empty text, the server's pages), as its
// stylesheet draws it, without its scripts: antd's brings spinners, skeletons and pagination's
// size changer along (decision 042).

interface ListProps<T> {
  dataSource: readonly T[] | undefined;
  renderItem: (item: T, index: number) => ReactNode;
  size?: "small" | "default" | "large";
  header?: ReactNode;
  footer?: ReactNode;
  locale?: { emptyText?: ReactNode };
  /** A line between items (on by default). */
  split?: boolean;
  pagination?: false | PaginationProps;
  style?: CSSProperties;
  className?: string;
  "aria-label"?: string;
  "data-testid"?: string;
}

function List<T>({
  dataSource,
  renderItem,
  size,
  header,
  footer,
  locale,
  split = true,
  pagination,
  style,
  className,
  "aria-label": label,
  "data-testid": testId,
}: ListProps<T>) {
  const items = dataSource ?? [];
  const root = useAntdClass(
    "ant-list",
    size === "small" && "ant-list-sm",
    size === "large" && "ant-list-lg",
    split && "ant-list-split",
    className,
  );
  const loading = useAntdClass("ant-spin-nested-loading");
  return (
    <div className={root} style={style} aria-label={label} data-testid={testId}>
      {header ? <div className="ant-list-header">{header}</div> : null}
      <div className={loading}>
        <div className="ant-spin-container">
          {items.length ? (
            <ul className="ant-list-items">{items.map((item, i) => renderItem(item, i))}</ul>
          ) : (
            <div className="ant-list-empty-text">{locale?.emptyText ?? <EmptyState simple description="暂无数据" />}</div>
          )}
        </div>
      </div>
      {footer ? <div className="ant-list-footer">{footer}</div> : null}
      {pagination ? (
        <div className="ant-list-pagination">
          <Pagination {...pagination} />
        </div>
      ) : null}
    </div>
  );
}

type ItemProps = HTMLAttributes<HTMLLIElement> & { actions?: ReactNode[]; extra?: ReactNode; [data: `data-${string}`]: string | undefined };

function Item({ actions, extra, className, children, ...li }: ItemProps) {
  return (
    <li className={["ant-list-item", className].filter(Boolean).join(" ")} {...li}>
      {children}
      {actions?.length ? (
        <ul className="ant-list-item-action">
          {actions.map((action, i) => (
            <li key={i}>{action}</li>
          ))}
        </ul>
      ) : null}
      {extra}
    </li>
  );
}

function Meta({ title, description, avatar }: { title?: ReactNode; description?: ReactNode; avatar?: ReactNode }) {
  return (
    <div className="ant-list-item-meta">
      {avatar ? <div className="ant-list-item-meta-avatar">{avatar}</div> : null}
      <div className="ant-list-item-meta-content">
        {title ? <h4 className="ant-list-item-meta-title">{title}</h4> : null}
        {description ? <div className="ant-list-item-meta-description">{description}</div> : null}
      </div>
    </div>
  );
}

const ListWithItem = Object.assign(List, { Item: Object.assign(Item, { Meta }) });
export { ListWithItem as List };
