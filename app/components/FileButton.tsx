import Button, { type ButtonProps } from "antd/es/button";
import { useRef, type ReactNode } from "react";

// A button that chooses a file (a units list, a .bpmn drawing) and hands it over: antd's Button with
// a hidden file input, without antd's upload component and its list, progress and retries, which a
// page that takes one file and reads the answer itself does not draw (decision 042).

export function FileButton({
  accept,
  onFile,
  children,
  ...button
}: { accept: string; onFile: (file: File) => void; children: ReactNode } & Pick<ButtonProps, "type" | "icon" | "disabled">) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button {...button} onClick={() => input.current?.click()}>
        {children}
      </Button>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          // The same file chosen again (fixed and saved under its name) is a new choice.
          event.target.value = "";
          if (file) onFile(file);
        }}
      />
    </>
  );
}
