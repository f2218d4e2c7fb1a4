import { creditCodeProblem } from "~/shared/credit-code";
import AutoComplete from "antd/es/auto-complete";
import Input from "antd/es/input";
import { Typography } from "~/components/ui/Typography";
import { useEffect, useRef, useState, type CSSProperties } from "react";
import { ORGANISATION_TYPE_LABELS } from "~/shared/labels";
import {
  ORGANISATION_LOOKUP_PATH,
  ratingText,
  type LookupOrganisationType,
  type RegisteredOrganisation,
} from "~/shared/organisation-lookup";

// Inputs that consult the platform's register as the user types: in a form (x-component
// "OrganisationCode" and "OrganisationName", FormilyOrganisationFields) and on their own (a
// project's 物业服务企业). What they find only fills fields in: the server still checks every code
// when the form is submitted.

const DEBOUNCE_MS = 300;
const CODE_LENGTH = 18;

/** What the register answers for `params` once the user has paused typing; null while unasked or asking. */
function useRegister(params: Record<string, string> | null): RegisteredOrganisation[] | null {
  const key = params ? new URLSearchParams(params).toString() : "";
  const [found, setFound] = useState<{ key: string; rows: RegisteredOrganisation[] } | null>(null);
  useEffect(() => {
    if (!key) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`${ORGANISATION_LOOKUP_PATH}?${key}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<RegisteredOrganisation[]>) : []))
        .then((rows) => setFound({ key, rows }))
        // Aborted or offline: the field simply shows no suggestion.
        .catch(() => {});
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);
  return key && found?.key === key ? found.rows : null;
}

function suggestions(rows: RegisteredOrganisation[] | null, value: "name" | "creditCode") {
  return (rows ?? []).map((o) => ({
    value: o[value],
    organisation: o,
    label: (
      <span>
        {o.name}
        <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
          {o.creditCode}
          {o.type === "tis" ? ` · ${ratingText(o.rating)}` : null}
        </Typography.Text>
      </span>
    ),
  }));
}

export interface LookupProps {
  value?: string;
  onChange?: (value: string) => void;
  /** The type the field expects; suggestions are of this type only. */
  organisationType?: LookupOrganisationType;
  /** May an organisation not yet registered be named here (it is then registered for review)? */
  allowUnknown?: boolean;
  placeholder?: string;
  disabled?: boolean;
  style?: CSSProperties;
  "aria-label"?: string;
}

const UNKNOWN_ALLOWED = "平台登记库中未找到该单位，提交后将作为待审核单位登记";
const UNKNOWN = "平台登记库中未找到该单位，请核对信用代码";

/** What the register says about a complete code, shown under the field. */
function CodeStatus({
  rows,
  expected,
  allowUnknown,
}: {
  rows: RegisteredOrganisation[];
  expected?: LookupOrganisationType;
  allowUnknown?: boolean;
}) {
  const [found] = rows;
  if (!found)
    return <Typography.Text type={allowUnknown ? "warning" : "danger"}>{allowUnknown ? UNKNOWN_ALLOWED : UNKNOWN}</Typography.Text>;
  if (expected && found.type !== expected)
    return (
      <Typography.Text type="danger">
        该信用代码登记的是{ORGANISATION_TYPE_LABELS[found.type]}“{found.name}”，不是{ORGANISATION_TYPE_LABELS[expected]}
      </Typography.Text>
    );
  return (
    <Typography.Text type="success">
      平台登记单位：{found.name}
      {found.type === "tis" ? `（${ratingText(found.rating)}）` : null}
    </Typography.Text>
  );
}

/**
 * A 统一社会信用代码: typing part of a name or code offers registered organisations; a complete
 * code shows the organisation it belongs to, and `onFound` gets it (a form fills the name in).
 */
export function OrganisationCodeInput({
  value,
  onChange,
  organisationType,
  allowUnknown,
  onFound,
  "aria-label": label,
  ...rest
}: LookupProps & { onFound?: (organisation: RegisteredOrganisation) => void }) {
  const typed = (value ?? "").trim();
  // A complete code with a valid check digit: a wrong one has its own message (the form rule), not "not found".
  const complete = typed.length === CODE_LENGTH && !creditCodeProblem(typed);
  const exact = useRegister(complete ? { code: typed } : null);
  const offered = useRegister(
    !complete && typed.length >= 2 ? { q: typed, ...(organisationType ? { type: organisationType } : {}) } : null,
  );
  const match = exact?.[0];
  // Only a code the user typed fills the name in: opening a stored submission (or a draft) changes nothing.
  const opened = useRef(typed);
  const found = useRef(onFound);
  found.current = onFound;
  useEffect(() => {
    if (match && typed !== opened.current && (!organisationType || match.type === organisationType)) found.current?.(match);
  }, [match, typed, organisationType]);
  return (
    <div>
      <AutoComplete
        {...rest}
        value={value}
        onChange={(v: string) => onChange?.(v.toUpperCase())}
        options={complete ? [] : suggestions(offered, "creditCode")}
        notFoundContent={offered && typed.length >= 2 ? "平台登记库中没有匹配的单位" : null}
        style={{ width: "100%", minWidth: 240, ...rest.style }}
      >
        {/* The label on the input alone (on the wrapper too, it would name two elements). */}
        <Input aria-label={label} placeholder={rest.placeholder} />
      </AutoComplete>
      {complete && exact ? (
        <div data-testid="organisation-code-status" style={{ marginTop: 4 }}>
          <CodeStatus rows={exact} expected={organisationType} allowUnknown={allowUnknown} />
        </div>
      ) : null}
    </div>
  );
}

/** An organisation's name: typing offers registered organisations; `onChosen` gets the one chosen (a form fills its code in). */
export function OrganisationNameInput({
  value,
  onChange,
  organisationType,
  allowUnknown,
  onChosen,
  "aria-label": label,
  ...rest
}: LookupProps & { onChosen?: (organisation: RegisteredOrganisation) => void }) {
  const typed = (value ?? "").trim();
  const offered = useRegister(typed.length >= 2 ? { q: typed, ...(organisationType ? { type: organisationType } : {}) } : null);
  const exactName = offered?.some((o) => o.name === typed);
  return (
    <AutoComplete
      {...rest}
      value={value}
      onChange={(v: string) => onChange?.(v)}
      onSelect={(_: string, option: { organisation: RegisteredOrganisation }) => onChosen?.(option.organisation)}
      options={exactName ? [] : suggestions(offered, "name")}
      notFoundContent={offered && typed.length >= 2 ? (allowUnknown ? UNKNOWN_ALLOWED : "平台登记库中没有匹配的单位") : null}
      style={{ width: "100%", minWidth: 240, ...rest.style }}
    >
      <Input aria-label={label} placeholder={rest.placeholder} />
    </AutoComplete>
  );
}
