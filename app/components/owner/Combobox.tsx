import { useEffect, useId, useState, type KeyboardEvent } from "react";

// A choice among options that can be typed to narrow them (小区, 楼栋, 房号 on the owners' page),
// in plain HTML with the ARIA combobox pattern: an input that opens a list box of options.

export interface ComboOption<T = undefined> {
  value: string;
  label: string;
  data?: T;
}

export function Combobox<T = undefined>({
  label,
  placeholder,
  options,
  value,
  valueLabel,
  maxLength,
  onChange,
  onType,
  matches = (typed, option) => option.label.includes(typed.trim()),
  order,
  disabled,
  loading,
  empty,
}: {
  /** The accessible name (the field's label). */
  label: string;
  placeholder: string;
  options: ComboOption<T>[];
  value: string | null;
  /** The chosen value's label, when the options (found for other text) may not hold it. */
  valueLabel?: string;
  maxLength?: number;
  onChange: (value: string) => void;
  /** Told what is typed (and "" as the list opens): for options the server finds. */
  onType?: (typed: string) => void;
  /** Whether an option is among those the typed text narrows to (by default: its label holds it). */
  matches?: (typed: string, option: ComboOption<T>) => boolean;
  /** How the narrowed options are ordered for what is typed. */
  order?: (typed: string) => (a: ComboOption<T>, b: ComboOption<T>) => number;
  disabled?: boolean;
  loading?: boolean;
  /** Said when no option is left: why (nothing matches, or the question failed). */
  empty?: string;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [active, setActive] = useState(0);
  const found = options.find((o) => o.value === value);
  const chosenLabel = found?.label ?? (value !== null ? valueLabel : undefined);
  const shown = typed.trim() ? options.filter((o) => matches(typed, o)) : options;
  if (order && typed.trim()) shown.sort(order(typed));
  const optionId = (i: number) => `${id}-option-${i}`;
  const activeShown = open && shown.length > 0;
  // The option the arrows reach stays in sight, as the list scrolls under it.
  useEffect(() => {
    if (activeShown) document.getElementById(optionId(active))?.scrollIntoView({ block: "nearest" });
  });

  const openList = () => {
    if (open) return;
    setOpen(true);
    setTyped("");
    setActive(0);
    onType?.("");
  };
  const choose = (option: ComboOption<T> | undefined) => {
    setOpen(false);
    setTyped("");
    if (option && option.value !== value) onChange(option.value);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) return openList();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((i) => Math.min(Math.max(i + step, 0), Math.max(shown.length - 1, 0)));
    } else if (event.key === "Enter" && open) {
      event.preventDefault();
      choose(shown[active]);
    } else if (event.key === "Escape") {
      setOpen(false);
      setTyped("");
    }
  };

  return (
    <div className="ow-combo">
      <input
        className="ow-input"
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        // Screen readers say the option the arrows reached, while the focus stays in the input.
        aria-activedescendant={activeShown ? optionId(active) : undefined}
        aria-busy={loading || undefined}
        autoComplete="off"
        placeholder={chosenLabel ?? placeholder}
        disabled={disabled}
        value={open ? typed : (chosenLabel ?? "")}
        maxLength={maxLength}
        onFocus={openList}
        onClick={openList}
        onBlur={() => {
          setOpen(false);
          setTyped("");
        }}
        onChange={(event) => {
          // Typed into the closed box showing the chosen label: what was typed replaces it.
          const text =
            !open && chosenLabel && event.target.value.startsWith(chosenLabel)
              ? event.target.value.slice(chosenLabel.length)
              : event.target.value;
          setOpen(true);
          setTyped(text);
          setActive(0);
          onType?.(text);
        }}
        onKeyDown={onKeyDown}
      />
      {open ? (
        <ul id={`${id}-list`} role="listbox" aria-label={label}>
          {shown.map((option, i) => (
            <li
              key={option.value}
              id={optionId(i)}
              role="option"
              aria-selected={option.value === value}
              className={i === active ? "ow-active" : undefined}
              // Chosen before the input loses its focus (a blur would close the list first).
              onMouseDown={(event) => {
                event.preventDefault();
                choose(option);
              }}
            >
              {option.label}
            </li>
          ))}
          {shown.length ? null : <li className="ow-muted">{loading ? "加载中…" : (empty ?? "无匹配的选项")}</li>}
        </ul>
      ) : null}
    </div>
  );
}
