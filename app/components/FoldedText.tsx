import { useLayoutEffect, useRef, useState } from "react";
import { useAntdClass } from "./ui/antd-class";

// A long text (a claim's or a risk event's description, an inspection's findings) shows its first
// lines and folds the rest behind 展开, with 收起 to fold it again, so that one long text does not
// push a list's other rows or a page's other facts out of sight. Line breaks are kept. antd's
// typography would do it, and bring its editing and copying along (decision 042): the lines are
// measured here, the look is antd's.

/** Texts up to this many characters are shown as they are: they fit in a few lines anyway. */
const SHORT = 80;
const FOLD = "展开";
const UNFOLD = "收起";

// Before paint in the browser; on the server nothing to measure.
const useBrowserLayoutEffect = typeof document === "undefined" ? () => {} : useLayoutEffect;

/** How many of `chars` fit in `rows` lines of `box`, followed by "…" and the fold button. */
function fitting(box: HTMLElement, chars: string[], rows: number): number {
  const probe = box.cloneNode(false) as HTMLElement;
  probe.removeAttribute("data-testid");
  Object.assign(probe.style, {
    position: "absolute",
    visibility: "hidden",
    width: `${box.clientWidth}px`,
    display: "block",
    webkitLineClamp: "none",
  });
  box.parentElement!.appendChild(probe);
  const lineHeight = parseFloat(getComputedStyle(probe).lineHeight) || 22;
  const fits = (n: number) => {
    probe.textContent = `${chars.slice(0, n).join("")}… ${FOLD}`;
    return probe.scrollHeight <= lineHeight * rows + 1;
  };
  let low = 0;
  let high = chars.length;
  if (fits(high)) low = high;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  probe.remove();
  return low;
}

export function FoldedText({ text, rows = 3 }: { text: string; rows?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  // Characters shown folded; null until measured (the lines are clipped meanwhile).
  const [shown, setShown] = useState<number | null>(null);
  const chars = [...text];
  const short = chars.length <= SHORT && !text.includes("\n");
  const root = useAntdClass("ant-typography", !open && "ant-typography-ellipsis");

  useBrowserLayoutEffect(() => {
    const element = box.current;
    if (short || open || !element) return;
    const measure = () => setShown(fitting(element, [...text], rows));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element.parentElement ?? element);
    return () => observer.disconnect();
  }, [text, rows, open, short]);

  if (short) return <>{text}</>;
  const whole = shown !== null && shown >= chars.length;
  const clipped = shown === null && !open;
  return (
    <div
      ref={box}
      className={root}
      data-testid="folded-text"
      style={{
        marginBottom: 0,
        whiteSpace: "pre-wrap",
        ...(clipped ? { display: "-webkit-box", WebkitLineClamp: rows, WebkitBoxOrient: "vertical", overflow: "hidden" } : {}),
      }}
    >
      {open || whole || shown === null ? text : `${chars.slice(0, shown).join("")}…`}
      {whole ? null : open ? (
        <button type="button" className="ant-typography-collapse" aria-label={UNFOLD} onClick={() => setOpen(false)}>
          {UNFOLD}
        </button>
      ) : shown !== null ? (
        <button type="button" className="ant-typography-expand" aria-label={FOLD} onClick={() => setOpen(true)}>
          {FOLD}
        </button>
      ) : null}
    </div>
  );
}
