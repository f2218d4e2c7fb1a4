import { ROLES, type Role } from "@db/schema/roles";
import { notify } from "../notifications/notify.server";
import type { WorkflowService } from "./services.server";

// The platform services every diagram may call. Business modules export theirs beside them; the
// app's composition root (composition.server.ts) registers them all.
export const platformServices: Record<string, WorkflowService> = {
  notify: {
    label: "通知角色",
    async run({ tx, instance, params }) {
      const role = params.role as Role;
      if (!ROLES.includes(role)) throw new Error(`通知的角色“${params.role}”不存在`);
      const sent = await notify(tx, [
        {
          to: { roles: [role], organisationId: instance.parties[role] ?? null },
          message: { title: params.message || `“${instance.title}”有新的进展`, body: instance.title, link: `/instances/${instance.id}` },
        },
      ]);
      return { notified: sent };
    },
  },

  // The instance's parties in the given roles, as a list of organisation ids: the organisations a
  // 会签/或签 task goes to (camunda:collection="${environment.output.<this task>.organisations}").
  // Parameter: roles (comma-separated). A role the flow names no party for is left out.
  partiesOf: {
    label: "列出流程的参与单位",
    async run({ instance, params }) {
      const roles = (params.roles ?? "")
        .split(",")
        .map((r) => r.trim())
        .filter(Boolean);
      const unknown = roles.find((r) => !ROLES.includes(r as Role));
      if (!roles.length || unknown) throw new Error(`列出参与单位的角色“${unknown ?? ""}”不存在（roles）`);
      const organisations = [...new Set(roles.map((r) => instance.parties[r]).filter(Boolean))];
      return { organisations };
    },
  },

  // Starts another flow about the same business object, with the same parties (e.g. risk
  // management once the regulator confirms a project is insured). Parameters: key, title (optional).
  startProcess: {
    label: "发起另一流程",
    async run({ instance, params, startFlow }) {
      if (!params.key) throw new Error("未指定要发起的流程（key）");
      const started = await startFlow({
        key: params.key,
        businessType: instance.businessType,
        businessKey: instance.businessKey,
        title: params.title || instance.title,
        parties: instance.parties,
        variables: { startedFrom: instance.id },
      });
      return { instanceId: started.id };
    },
  },
};
