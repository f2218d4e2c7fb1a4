import StarFilled from "@ant-design/icons/es/icons/StarFilled";
import type { CSSProperties } from "react";
import { useAntdClass } from "./antd-class";

// A rating read back (antd's Rate, disabled), as its stylesheet draws it, without its scripts
// (decision 042): five stars, those given full, a half for a half.

export function Stars({ value, style, "aria-label": label }: { value: number; style?: CSSProperties; "aria-label"?: string }) {
  const root = useAntdClass("ant-rate", "ant-rate-disabled");
  return (
    <ul className={root} tabIndex={-1} aria-label={label} style={style}>
      {[1, 2, 3, 4, 5].map((n) => {
        const state = value >= n ? "full" : value >= n - 0.5 ? "half ant-rate-star-active" : "zero";
        return (
          <li key={n} className={`ant-rate-star ant-rate-star-${state}`}>
            <div role="radio" aria-checked={value >= n - 0.5} aria-posinset={n} aria-setsize={5} tabIndex={-1}>
              <div className="ant-rate-star-first">
                <StarFilled aria-hidden />
              </div>
              <div className="ant-rate-star-second">
                <StarFilled aria-hidden />
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
