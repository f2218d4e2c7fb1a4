import type { CSSProperties, ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's statistic (a figure under its title), as its stylesheet draws it, without its scripts
// (decision 042). A number is written with thousands separated, as antd writes it.

function figure(value: number | string): ReactNode {
  if (typeof value !== "number") return value;
  const [int, decimal] = String(value).split(".");
  return (
    <>
      <span className="ant-statistic-content-value-int">{Number(int).toLocaleString("en-US")}</span>
      {decimal ? <span className="ant-statistic-content-value-decimal">.{decimal}</span> : null}
    </>
  );
}

export function Statistic({
  title,
  value,
  prefix,
  suffix,
  valueStyle,
  "data-testid": testId,
}: {
  title?: ReactNode;
  value: number | string;
  prefix?: ReactNode;
  suffix?: ReactNode;
  valueStyle?: CSSProperties;
  "data-testid"?: string;
}) {
  return (
    <div className={useAntdClass("ant-statistic")} data-testid={testId}>
      {title ? <div className="ant-statistic-title">{title}</div> : null}
      <div className="ant-statistic-content" style={valueStyle}>
        {prefix ? <span className="ant-statistic-content-prefix">{prefix}</span> : null}
        <span className="ant-statistic-content-value">{figure(value)}</span>
        {suffix ? <span className="ant-statistic-content-suffix">{suffix}</span> : null}
      </div>
    </div>
  );
}
