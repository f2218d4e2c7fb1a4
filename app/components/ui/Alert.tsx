import CheckCircleFilled from "@ant-design/icons/es/icons/CheckCircleFilled";
import CheckCircleOutlined from "@ant-design/icons/es/icons/CheckCircleOutlined";
import CloseCircleFilled from "@ant-design/icons/es/icons/CloseCircleFilled";
import CloseCircleOutlined from "@ant-design/icons/es/icons/CloseCircleOutlined";
import CloseOutlined from "@ant-design/icons/es/icons/CloseOutlined";
import ExclamationCircleFilled from "@ant-design/icons/es/icons/ExclamationCircleFilled";
import ExclamationCircleOutlined from "@ant-design/icons/es/icons/ExclamationCircleOutlined";
import InfoCircleFilled from "@ant-design/icons/es/icons/InfoCircleFilled";
import InfoCircleOutlined from "@ant-design/icons/es/icons/InfoCircleOutlined";
import { useState, type AriaRole, type CSSProperties, type ReactNode } from "react";
import { useAntdClass } from "./antd-class";

// antd's alert (a coloured note with its sign, a line, a description, an action), as its stylesheet
// draws it, without its scripts (decision 042).

type AlertType = "success" | "info" | "warning" | "error";

// As antd: filled signs beside a single line, outlined ones beside a description.
const SIGNS = {
  filled: { success: CheckCircleFilled, info: InfoCircleFilled, warning: ExclamationCircleFilled, error: CloseCircleFilled },
  outlined: { success: CheckCircleOutlined, info: InfoCircleOutlined, warning: ExclamationCircleOutlined, error: CloseCircleOutlined },
};

export function Alert({
  type = "info",
  message,
  description,
  showIcon,
  action,
  closable,
  onClose,
  style,
  className,
  role = "alert",
  "data-testid": testId,
}: {
  type?: AlertType;
  message: ReactNode;
  description?: ReactNode;
  showIcon?: boolean;
  action?: ReactNode;
  closable?: boolean;
  onClose?: () => void;
  style?: CSSProperties;
  className?: string;
  role?: AriaRole;
  "data-testid"?: string;
}) {
  const [closed, setClosed] = useState(false);
  const root = useAntdClass(
    "ant-alert",
    `ant-alert-${type}`,
    Boolean(description) && "ant-alert-with-description",
    !showIcon && "ant-alert-no-icon",
    className,
  );
  if (closed) return null;
  const Sign = SIGNS[description ? "outlined" : "filled"][type];
  return (
    <div data-show="true" className={root} style={style} role={role} data-testid={testId}>
      {showIcon ? <Sign className="ant-alert-icon" aria-hidden /> : null}
      <div className="ant-alert-content">
        <div className="ant-alert-message">{message}</div>
        {description ? <div className="ant-alert-description">{description}</div> : null}
      </div>
      {action ? <div className="ant-alert-action">{action}</div> : null}
      {closable ? (
        <button
          type="button"
          className="ant-alert-close-icon"
          aria-label="关闭"
          onClick={() => {
            setClosed(true);
            onClose?.();
          }}
        >
          <CloseOutlined aria-hidden />
        </button>
      ) : null}
    </div>
  );
}
