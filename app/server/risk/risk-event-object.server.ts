import { eq } from "drizzle-orm";
import { inspections, riskEvents } from "@db/schema";
import type { BusinessSummary, SummaryItem } from "~/shared/business-summary";
import {
  RECTIFIER_ROLE_LABELS,
  REINSPECTION,
  RISK_CATEGORY_LABELS,
  RISK_EVENT_STATUS_LABELS,
  RISK_LEVEL_LABELS,
  riskEventNumber,
} from "~/shared/risk-labels";
import { formatDateTime } from "~/shared/time";
import { lastRecorded } from "../audit.server";
import { NotFoundError, ValidationError } from "../errors.server";
import type { BusinessObjectType, FlowFacts } from "../workflow/index.server";
import { getRiskEvent } from "./risk-event-queries.server";

// A risk event as the business object of its rectification flow. Only an inspection (or the
// re-inspection) raises one, with its flow: no user starts a flow about an event by hand.
export const riskEventObject: BusinessObjectType = {
  label: "风险事件",
  pagePath: (key) => `/risk/events/${key}`,
  async attach() {
    throw new ValidationError({ businessKey: `风险事件只能在现场检查或${REINSPECTION}中登记` });
  },
  async summary(actor, key) {
    let detail;
    try {
      detail = await getRiskEvent(actor, key);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    const { event, project } = detail;
    const text = (label: string, value: string | null | undefined): SummaryItem => ({ label, text: value || "—" });
    const sections: BusinessSummary["sections"] = [
      {
        title: "风险事件",
        items: [
          text("项目", project.name),
          text("类别", RISK_CATEGORY_LABELS[event.category]),
          text("等级", RISK_LEVEL_LABELS[event.level]),
          text("部位/位置", event.location),
          text("问题描述", event.description),
          text("整改期限", `${event.deadline}${event.overdue ? "（已逾期）" : ""}`),
          text(RECTIFIER_ROLE_LABELS[event.rectifierRole], detail.rectifierName),
          text("风险管理机构", detail.tisName),
          ...(event.photos.length ? [{ label: "现场照片", files: event.photos }] : []),
        ],
      },
    ];
    if (event.rectification)
      sections.push({
        title: "整改情况",
        items: [
          text("整改完成日期", event.rectification.rectifiedOn),
          text("整改措施及结果", event.rectification.measures),
          { label: "整改后照片", files: event.rectification.photos },
          ...(event.returnReason && event.status === "rectifying" ? [text("退回原因", event.returnReason)] : []),
          ...(event.closedAt ? [text("销项时间", formatDateTime(event.closedAt))] : []),
        ],
      });
    return {
      kind: "风险事件",
      title: `${riskEventNumber(event.seq)} ${RISK_CATEGORY_LABELS[event.category]}（${RISK_LEVEL_LABELS[event.level]}）`,
      href: `/risk/events/${event.id}`,
      status: {
        label:
          event.overdue && event.status !== "closed"
            ? `${RISK_EVENT_STATUS_LABELS[event.status]}·已逾期`
            : RISK_EVENT_STATUS_LABELS[event.status],
        color: event.status === "closed" ? "green" : event.overdue ? "red" : event.status === "cancelled" ? "default" : "orange",
      },
      sections,
    };
  },
  // A rectification cannot come before the event was found: the inspection's day, or (raised at the
  // re-inspection, which keeps no inspection of its own) the day it was registered; nor one redone
  // before the TIS sent the last one back (returnedOn, only once it has).
  async facts(ex, key): Promise<FlowFacts> {
    const [event] = await ex
      .select({ raisedAt: riskEvents.raisedAt, inspectedOn: inspections.inspectedOn })
      .from(riskEvents)
      .leftJoin(inspections, eq(inspections.id, riskEvents.inspectionId))
      .where(eq(riskEvents.id, key));
    if (!event) return {};
    const returned = await lastRecorded(ex, "risk_event.return", key);
    return {
      foundOn: event.inspectedOn ?? formatDateTime(event.raisedAt, "YYYY-MM-DD"),
      ...(returned ? { returnedOn: formatDateTime(returned, "YYYY-MM-DD") } : {}),
    };
  },
};
