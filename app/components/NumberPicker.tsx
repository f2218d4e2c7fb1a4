import DownOutlined from "@ant-design/icons/es/icons/DownOutlined";
import UpOutlined from "@ant-design/icons/es/icons/UpOutlined";
import { NumberPicker } from "@formily/antd-v5";
import { useEffect, useRef, type ComponentProps } from "react";

// The steppers' arrows, hidden from a screen reader (antd's name themselves "up" and "down").
const STEPPERS = { upIcon: <UpOutlined aria-hidden />, downIcon: <DownOutlined aria-hidden /> };

// rc-input-number names its two steppers "Increase Value" and "Decrease Value" and takes no other
// names; a screen reader reads them out as buttons. They are renamed once drawn. React leaves the
// attribute alone afterwards (the props it came from never change), so the name holds.
const STEPPER_NAMES: [string, string][] = [
  [".ant-input-number-handler-up", "增加"],
  [".ant-input-number-handler-down", "减少"],
];

/** A form's number field: Formily's NumberPicker, its steppers named in Chinese. */
export function FormNumberPicker(props: ComponentProps<typeof NumberPicker>) {
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    for (const [selector, name] of STEPPER_NAMES)
      box.current?.querySelectorAll(selector).forEach((stepper) => stepper.setAttribute("aria-label", name));
  });
  return (
    <span ref={box} style={{ display: "contents" }}>
      <NumberPicker controls={STEPPERS} {...props} />
    </span>
  );
}
