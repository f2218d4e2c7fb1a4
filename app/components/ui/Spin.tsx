import type { CSSProperties, ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's spinner (four turning dots, a line under them), as its stylesheet draws it, without its
// scripts (decision 042).

/** The spinner; around `children`, over them while they wait (dimmed). */
export function Spin({ tip, style, children }: { tip?: string; style?: CSSProperties; children?: ReactNode }) {
  const root = useAntdClass("ant-spin", "ant-spin-spinning", tip && "ant-spin-show-text");
  const nested = useAntdClass("ant-spin-nested-loading");
  const spinner = (
    <div className={root} aria-live="polite" aria-busy="true" style={style}>
      <span className="ant-spin-dot-holder">
        <span className="ant-spin-dot ant-spin-dot-spin">
          <i className="ant-spin-dot-item" />
          <i className="ant-spin-dot-item" />
          <i className="ant-spin-dot-item" />
          <i className="ant-spin-dot-item" />
        </span>
      </span>
      {tip ? <div className="ant-spin-text">{tip}</div> : null}
    </div>
  );
  if (children === undefined) return spinner;
  return (
    <div className={nested}>
      <div>{spinner}</div>
      <div className="ant-spin-container ant-spin-blur">{children}</div>
    </div>
  );
}
