import CloseOutlined from "@ant-design/icons/es/icons/CloseOutlined";
import { forwardRef, type HTMLAttributes } from "react";
import { useAntdClass } from "./antd-class";

// antd's tag (a short coloured label), as its stylesheet draws it, without its scripts
// (decision 042). antd's colour names, or a colour of one's own.

const NAMED = new Set([
  "success",
  "processing",
  "error",
  "warning",
  "default",
  ...["magenta", "red", "volcano", "orange", "gold", "lime", "green", "cyan", "blue", "geekblue", "purple"],
]);

export interface TagProps extends HTMLAttributes<HTMLSpanElement> {
  color?: string;
  /** Shows the close sign, which calls onClose (a filter's tag removes its filter). */
  closable?: boolean;
  onClose?: () => void;
  "data-testid"?: string;
}

/** Other attributes (a popover's handlers, its ref, data-*) go on the tag, as antd's. */
export const Tag = forwardRef<HTMLSpanElement, TagProps>(function Tag(
  { color, closable, onClose, style, className, children, ...span },
  ref,
) {
  const named = !color || NAMED.has(color);
  const root = useAntdClass(
    "ant-tag",
    color && color !== "default" && named && `ant-tag-${color}`,
    !named && "ant-tag-has-color",
    className,
  );
  return (
    <span ref={ref} className={root} style={named ? style : { backgroundColor: color, ...style }} {...span}>
      {children}
      {closable ? (
        <span role="img" aria-label="移除" tabIndex={-1} className="anticon anticon-close ant-tag-close-icon" onClick={onClose}>
          <CloseOutlined aria-hidden />
        </span>
      ) : null}
    </span>
  );
});
