import { h } from "@bpmn-io/properties-panel/preact";
import { CheckboxEntry, SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited } from "@bpmn-io/properties-panel";
import { useService } from "bpmn-js-properties-panel";
import {
  COMMON_DURATIONS,
  CONDITION_OPERATORS,
  buildCondition,
  conditionFieldOptions,
  conditionValueInputProblem,
  operatorsFor,
  parseCondition,
  withConditionField,
  type ConditionSource,
  partyRule,
  timerPreview,
  withPlatformZone,
  type ConditionField,
} from "~/shared/process-modeling";
import { serviceNameOf } from "~/shared/safe-expressions";
import { camundaProperties, splitList } from "~/shared/process-checks";

// The properties panel's 平台设置 group: what the platform runs is chosen from lists the server gives
// (config key `platform`, read with useService): a user task's form and roles, a service task's
// service, a timer's duration with its Chinese preview, a condition from an earlier form's field.
// bpmn-js-properties-panel renders with preact, so the entries are built with its `h`, not JSX.

export interface PlatformChoices {
  forms: {
    key: string;
    title: string;
    version: number;
    versions: number[];
    fields: ConditionField[];
    /** A submission of the form its rules accept, the dry run's starting sample. */
    sample: Record<string, unknown>;
  }[];
  roles: { value: string; label: string }[];
  services: { name: string; label: string }[];
}

/* eslint-disable @typescript-eslint/no-explicit-any -- bpmn-js's elements and services are untyped */
type Element = any;

const bo = (element: Element) => element.businessObject;
const is = (element: Element, type: string) => bo(element)?.$instanceOf?.(type);

/** The groups of the default providers the platform keeps; the rest are free text for Camunda's engine. */
const KEPT_GROUPS = new Set(["general", "documentation", "CamundaPlatform__ExtensionProperties", "multiInstance"]);

function usePlatformChoices(): PlatformChoices {
  return useService("config.platform") as PlatformChoices;
}

function FormSelect({ element, id }: { element: Element; id: string }) {
  const modeling = useService("modeling");
  const { forms } = usePlatformChoices();
  return h(SelectEntry, {
    element,
    id,
    label: "表单",
    description: "从已发布的表单中选择",
    getValue: () => bo(element).formKey ?? "",
    // Another form: the version pinned for the one before goes.
    setValue: (value: string) =>
      modeling.updateProperties(element, { "camunda:formKey": value || undefined, "camunda:formRefVersion": undefined }),
    getOptions: () => [
      { value: "", label: "<请选择表单>" },
      ...forms.map((f) => ({ value: f.key, label: `${f.title}（${f.key}，第${f.version}版）` })),
    ],
  });
}

function FormVersionSelect({ element, id }: { element: Element; id: string }) {
  const modeling = useService("modeling");
  const { forms } = usePlatformChoices();
  const current = forms.find((f) => f.key === bo(element).formKey);
  return h(SelectEntry, {
    element,
    id,
    label: "表单版本",
    description: "进行中的流程仍用其发起时的版本",
    getValue: () => String(bo(element).formRefVersion ?? ""),
    setValue: (value: string) => modeling.updateProperties(element, { "camunda:formRefVersion": value || undefined }),
    getOptions: () => [
      { value: "", label: current ? `最新版（发布时固定为第${current.version}版）` : "最新版" },
      ...(current?.versions ?? [])
        .slice()
        .reverse()
        .map((v) => ({ value: String(v), label: `第${v}版` })),
    ],
  });
}

function RoleCheckbox({ element, id, role, label }: { element: Element; id: string; role: string; label: string }) {
  const modeling = useService("modeling");
  const attribute = is(element, "bpmn:Process") ? "candidateStarterGroups" : "candidateGroups";
  const target = is(element, "bpmn:Participant") ? bo(element).processRef : bo(element);
  const roles = () => splitList(target[attribute]);
  return h(CheckboxEntry, {
    element,
    id,
    label,
    getValue: () => roles().includes(role),
    setValue: (checked: boolean) => {
      const next = checked ? [...roles(), role] : roles().filter((r) => r !== role);
      modeling.updateModdleProperties(element, target, { [`camunda:${attribute}`]: next.join(",") || undefined });
    },
  });
}

/** Who does the task and by when, in words: from its roles and the timers on its boundary. */
function TaskRules({ element }: { element: Element }) {
  const roles = splitList(bo(element).candidateGroups);
  // A boundary timer marked <camunda:property name="reminder" value="true"> reminds, it sets no deadline.
  const reminder = (a: Element) => camundaProperties(bo(a)).reminder === "true";
  const timers = (element.attachers ?? [])
    .filter((a: Element) => !reminder(a))
    .map((a: Element) => bo(a).eventDefinitions?.find((d: Element) => d.$type === "bpmn:TimerEventDefinition"))
    .filter(Boolean)
    .map((d: Element) => timerPreview("timeDuration", d.timeDuration?.body ?? ""));
  return h(
    "div",
    { class: "bio-properties-panel-entry", "data-entry-id": "idi-task-rules" },
    h("div", { class: "bio-properties-panel-description" }, `办理单位：${partyRule(roles)}`),
    h(
      "div",
      { class: "bio-properties-panel-description" },
      `办理期限：${timers.length ? `${timers.join("、")}（附着在任务上的定时边界事件，标为提醒的除外）` : "未设置（在任务边界添加定时事件）"}`,
    ),
  );
}

/**
 * A task of no type (what the context pad appends) opens no task row: the engine passes it at once.
 * Without this, its panel has no 平台设置 and nothing says why there is no form to choose.
 */
function PlainTaskHint() {
  return h(
    "div",
    { class: "bio-properties-panel-entry", "data-entry-id": "idi-plain-task" },
    h(
      "div",
      { class: "bio-properties-panel-description" },
      "未指定类型的任务不生成待办，流程经过时直接通过。要由单位办理，请点击任务旁的扳手（更改类型）改为“用户任务”，再选择表单和办理角色；要调用平台服务，改为“服务任务”。",
    ),
  );
}

function ServiceSelect({ element, id }: { element: Element; id: string }) {
  const modeling = useService("modeling");
  const { services } = usePlatformChoices();
  return h(SelectEntry, {
    element,
    id,
    label: "平台服务",
    description: "服务的参数在下方“扩展属性”中填写",
    getValue: () => serviceNameOf(bo(element).implementation ?? bo(element).expression) ?? "",
    setValue: (name: string) =>
      modeling.updateProperties(element, {
        implementation: name ? `\${environment.services.${name}}` : undefined,
        "camunda:expression": undefined,
      }),
    getOptions: () => [{ value: "", label: "<请选择服务>" }, ...services.map((s) => ({ value: s.name, label: `${s.label}（${s.name}）` }))],
  });
}

const TIMER_KINDS = [
  { value: "timeDuration", label: "时长（到期后触发）" },
  { value: "timeDate", label: "日期时间（到时触发）" },
  { value: "timeCycle", label: "周期（重复触发）" },
] as const;
type TimerKind = (typeof TIMER_KINDS)[number]["value"];
const TIMER_EXAMPLES: Record<TimerKind, string> = {
  timeDuration: "例如 P7D 为7天，PT12H 为12小时",
  timeDate: "例如 2027-01-01T09:00:00+08:00",
  timeCycle: "例如 R3/PT1H 为每1小时、共3次",
};

function timerOf(element: Element) {
  return bo(element).eventDefinitions?.find((d: Element) => d.$type === "bpmn:TimerEventDefinition");
}
function timerKind(definition: Element): TimerKind {
  return TIMER_KINDS.find((k) => definition?.[k.value])?.value ?? "timeDuration";
}

/** A timer's setter: its value as one kind, the other kinds removed (a timer has one). */
function useSetTimer(element: Element) {
  const modeling = useService("modeling");
  const moddle = useService("moddle");
  return (kind: TimerKind, body: string) => {
    const values: Record<string, unknown> = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
    values[kind] = moddle.create("bpmn:FormalExpression", { body });
    modeling.updateModdleProperties(element, timerOf(element), values);
  };
}

function TimerValue({ element, id }: { element: Element; id: string }) {
  const setTimer = useSetTimer(element);
  const debounce = useService("debounceInput");
  const definition = timerOf(element);
  const kind = timerKind(definition);
  const value = definition?.[kind]?.body ?? "";
  const set = (text: string | undefined) => setTimer(kind, withPlatformZone(kind, text ?? ""));
  return h(TextFieldEntry, {
    element,
    id,
    label: "定时设置（ISO 8601）",
    description: `预览：${timerPreview(kind, value)}（${TIMER_EXAMPLES[kind]}）`,
    debounce,
    getValue: () => value,
    setValue: set,
  });
}

/** Duration, date or cycle: the text typed so far moves to the new kind, and its preview says whether it fits. */
function TimerKindSelect({ element, id }: { element: Element; id: string }) {
  const setTimer = useSetTimer(element);
  const definition = timerOf(element);
  return h(SelectEntry, {
    element,
    id,
    label: "定时方式",
    getValue: () => timerKind(definition),
    setValue: (kind: TimerKind) => setTimer(kind, definition?.[timerKind(definition)]?.body ?? ""),
    getOptions: () => TIMER_KINDS.map((k) => ({ value: k.value, label: k.label })),
  });
}

/**
 * A boundary timer interrupts its step (cancelActivity, BPMN's default), or leaves it open as its
 * limit (办理期限: the runtime's task due time, an overdue notice), or only reminds before the limit
 * (`<camunda:property name="reminder" value="true">`, which the runtime leaves out of the due time).
 * Each choice writes both: an interrupting timer is never a reminder.
 */
function TimerInterrupts({ element, id }: { element: Element; id: string }) {
  const modeling = useService("modeling");
  const moddle = useService("moddle");
  const setReminder = (on: boolean) => {
    const business = bo(element);
    let extensions = business.extensionElements;
    const properties = () => extensions?.values?.find((v: Element) => v.$type === "camunda:Properties");
    const reminder = () => properties()?.values?.find((p: Element) => p.name === "reminder");
    if (!on) {
      if (reminder())
        modeling.updateModdleProperties(element, properties(), { values: properties().values.filter((p: Element) => p !== reminder()) });
      return;
    }
    if (reminder()) return modeling.updateModdleProperties(element, reminder(), { value: "true" });
    if (!extensions) {
      extensions = moddle.create("bpmn:ExtensionElements", { values: [] });
      extensions.$parent = business;
      modeling.updateProperties(element, { extensionElements: extensions });
    }
    if (!properties()) {
      const created = moddle.create("camunda:Properties", { values: [] });
      created.$parent = extensions;
      modeling.updateModdleProperties(element, extensions, { values: [...(extensions.values ?? []), created] });
    }
    const property = moddle.create("camunda:Property", { name: "reminder", value: "true" });
    property.$parent = properties();
    modeling.updateModdleProperties(element, properties(), { values: [...(properties().values ?? []), property] });
  };
  return h(SelectEntry, {
    element,
    id,
    label: "到期时",
    description: "中断：当前步骤结束，流程沿定时事件的路径继续；不中断：当前步骤照常办理",
    getValue: () =>
      bo(element).cancelActivity !== false ? "interrupt" : camundaProperties(bo(element)).reminder === "true" ? "reminder" : "deadline",
    setValue: (value: string) => {
      modeling.updateProperties(element, { cancelActivity: value === "interrupt" });
      setReminder(value === "reminder");
    },
    getOptions: () => [
      { value: "interrupt", label: "中断当前步骤" },
      { value: "deadline", label: "不中断，作为办理期限" },
      { value: "reminder", label: "仅提醒（期限前提醒，不计入办理期限）" },
    ],
  });
}

function TimerPreset({ element, id }: { element: Element; id: string }) {
  const setTimer = useSetTimer(element);
  const definition = timerOf(element);
  return h(SelectEntry, {
    element,
    id,
    label: "常用时长",
    getValue: () => (timerKind(definition) === "timeDuration" ? (definition?.timeDuration?.body ?? "") : ""),
    setValue: (value: string) => value && setTimer("timeDuration", value),
    getOptions: () => [{ value: "", label: "<自定义>" }, ...COMMON_DURATIONS],
  });
}

/** The steps before a flow's source (through gateways and services) whose results a condition may test. */
function conditionSources(flow: Element, forms: PlatformChoices["forms"]): ConditionSource[] {
  const found: ConditionSource[] = [];
  const seen = new Set<string>();
  const walk = (node: Element) => {
    if (!node || seen.has(node.id)) return;
    seen.add(node.id);
    if (node.$type === "bpmn:UserTask") {
      found.push({ id: node.id, name: node.name, kind: "user", fields: forms.find((f) => f.key === node.formKey)?.fields ?? [] });
      return;
    }
    if (node.$type === "bpmn:ServiceTask" || node.$type === "bpmn:SendTask")
      found.push({ id: node.id, name: node.name, kind: "service", fields: [] });
    for (const incoming of node.incoming ?? []) walk(incoming.sourceRef);
  };
  walk(bo(flow).sourceRef);
  return found;
}

/** A gateway's default flow is taken when no other flow's condition holds: it has none of its own. */
function isDefaultFlow(flow: Element) {
  return bo(flow).sourceRef?.default === bo(flow);
}

function DefaultFlowNote() {
  return h(
    "div",
    { class: "bio-properties-panel-entry", "data-entry-id": "idi-condition-default", "data-testid": "condition-default-note" },
    h("div", { class: "bio-properties-panel-description" }, "默认路径，无需条件：其他路径的条件都不成立时走此路径。"),
  );
}

function ConditionPart({ element, id, part }: { element: Element; id: string; part: "field" | "operator" | "value" }) {
  const modeling = useService("modeling");
  const moddle = useService("moddle");
  const debounce = useService("debounceInput");
  const { forms } = usePlatformChoices();
  const text = bo(element).conditionExpression?.body ?? "";
  const parsed = parseCondition(text);
  const parts = parsed ?? { taskId: "", field: "", operator: "eq", value: "" };
  const fields = conditionFieldOptions(conditionSources(element, forms), parsed);
  const chosen = fields.find((f) => f.value === `${parts.taskId}.${parts.field}`);
  const update = (next: typeof parts) => {
    if (!next.taskId || !next.field) return;
    modeling.updateProperties(element, {
      conditionExpression: moddle.create("bpmn:FormalExpression", { body: buildCondition(next) }),
    });
  };
  if (part === "field")
    return h(SelectEntry, {
      element,
      id,
      label: "条件字段",
      description: text && !parsed ? `当前条件（手写，不能在此修改；选择字段将替换它）：${text}` : "取自此前步骤的表单或服务结果",
      getValue: () => (chosen ? chosen.value : ""),
      setValue: (value: string) => {
        const option = fields.find((f) => f.value === value);
        if (option) update(withConditionField(parts, value.split(".")[0], option.field));
      },
      getOptions: () => [
        { value: "", label: fields.length ? "<请选择字段>" : "<此前没有带表单的用户任务>" },
        ...fields.map((f) => ({ value: f.value, label: f.label })),
      ],
    });
  if (part === "operator")
    return h(SelectEntry, {
      element,
      id,
      label: "比较",
      getValue: () => parts.operator,
      setValue: (operator: string) => update({ ...parts, operator }),
      getOptions: () => operatorsFor(chosen?.field).map((o) => ({ value: o.value, label: o.label })),
    });
  if (CONDITION_OPERATORS.find((o) => o.value === parts.operator)?.unary) return null;
  const options = chosen?.field.options;
  if (options?.length)
    return h(SelectEntry, {
      element,
      id,
      label: "值",
      getValue: () => parts.value,
      setValue: (value: string) => update({ ...parts, value }),
      getOptions: () => [{ value: "", label: "<请选择>" }, ...options.map((o) => ({ value: String(o.value), label: o.label }))],
    });
  return h(TextFieldEntry, {
    element,
    id,
    label: "值",
    description: chosen?.field.type === "date" ? "日期，如 2026-01-01" : undefined,
    debounce,
    getValue: () => parts.value,
    validate: (value: string | undefined) => conditionValueInputProblem(parts.operator, chosen?.field, value),
    // A value the field refuses stays in the box with its message and is not written; a cleared one is "".
    setValue: (value: string | undefined, error?: string | null) => {
      if (!error) update({ ...parts, value: value ?? "" });
    },
  });
}

function platformGroup(element: Element, roles: PlatformChoices["roles"]) {
  const entries: Record<string, unknown>[] = [];
  const entry = (id: string, component: unknown, extra: Record<string, unknown> = {}, isEdited: unknown = isSelectEntryEdited) =>
    entries.push({ id, element, component, isEdited, ...extra });
  if (bo(element)?.$type === "bpmn:Task") entry("idi-plain-task", PlainTaskHint, {}, () => false);
  if (is(element, "bpmn:UserTask")) {
    entry("idi-form", FormSelect);
    entry("idi-form-version", FormVersionSelect);
    for (const role of roles) entry(`idi-role-${role.value}`, RoleCheckbox, { role: role.value, label: role.label });
    entry("idi-task-rules", TaskRules);
  } else if (is(element, "bpmn:Process") || (is(element, "bpmn:Participant") && bo(element).processRef)) {
    for (const role of roles) entry(`idi-starter-${role.value}`, RoleCheckbox, { role: role.value, label: `可发起：${role.label}` });
  } else if (is(element, "bpmn:ServiceTask") || is(element, "bpmn:SendTask")) {
    entry("idi-service", ServiceSelect);
  } else if (timerOf(element)) {
    entry("idi-timer-kind", TimerKindSelect);
    entry("idi-timer-preset", TimerPreset);
    entry("idi-timer-value", TimerValue, {}, isTextFieldEntryEdited);
    if (is(element, "bpmn:BoundaryEvent")) entry("idi-timer-interrupts", TimerInterrupts);
  } else if (
    is(element, "bpmn:SequenceFlow") &&
    ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway"].some((t) => bo(element).sourceRef?.$instanceOf?.(t))
  ) {
    if (isDefaultFlow(element)) entry("idi-condition-default", DefaultFlowNote);
    else for (const part of ["field", "operator", "value"] as const) entry(`idi-condition-${part}`, ConditionPart, { part });
  }
  if (!entries.length) return null;
  const label = is(element, "bpmn:Process") || is(element, "bpmn:Participant") ? "平台设置：可发起的角色" : "平台设置";
  return { id: "idi-platform", label, entries, shouldOpen: true };
}

/** The provider: the platform's group first, then the default groups the platform keeps. */
export function PlatformPropertiesProvider(this: unknown, propertiesPanel: Element, injector: Element) {
  const { roles } = injector.get("config.platform") as PlatformChoices;
  (this as { getGroups: unknown }).getGroups = (element: Element) => (groups: { id: string }[]) => {
    const kept = groups.filter((g) => KEPT_GROUPS.has(g.id));
    const platform = platformGroup(element, roles);
    return platform ? [kept[0], platform, ...kept.slice(1)].filter(Boolean) : kept;
  };
  // After the default providers (priority 1000 and 500): this one sees their groups and keeps some.
  propertiesPanel.registerProvider(100, this);
}
PlatformPropertiesProvider.$inject = ["propertiesPanel", "injector"];

export const PlatformPanelModule = {
  __init__: ["platformPropertiesProvider"],
  platformPropertiesProvider: ["type", PlatformPropertiesProvider],
};
