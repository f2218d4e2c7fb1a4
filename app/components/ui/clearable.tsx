import CloseCircleFilled from "@ant-design/icons/es/icons/CloseCircleFilled";

/**
 * `allowClear` for antd's Input: its ✕ is a button named by its icon, which antd's own calls
 * "close-circle" to a screen reader; this one says 清除. (A Select's ✕ is hidden from them already.)
 */
export const CLEARABLE = { clearIcon: <CloseCircleFilled aria-label="清除" /> };
