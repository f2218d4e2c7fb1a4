import type { WorkflowService } from "../workflow/index.server";
import { decideInsurance, recordPolicy, recordRegistration } from "./insurance.server";

// The services processes/insurance-review.bpmn calls. Each reads the submission of the task
// before it (environment.output.<task id>) and records it in the project tables; the project's
// id is the flow's business key.
export const insuranceServices: Record<string, WorkflowService> = {
  recordRegistration: {
    label: "保存报建信息",
    async run({ tx, actor, instance, output }) {
      const parties = await recordRegistration(tx, actor, instance.businessKey, output.registration);
      // The flow is known by the project's name from now on (it may start under a draft title).
      return { parties, title: (output.registration as { name: string }).name };
    },
  },

  recordPolicy: {
    label: "保存保险信息",
    async run({ tx, actor, instance, output }) {
      return { parties: await recordPolicy(tx, actor, instance.businessKey, output.policy) };
    },
  },

  confirmInsurance: {
    label: "确认已投保",
    async run({ tx, actor, instance }) {
      await decideInsurance(tx, actor, instance.businessKey, { confirmed: true });
      return { confirmed: true };
    },
  },

  returnInsurance: {
    label: "退回保险公司修改",
    async run({ tx, actor, instance, output }) {
      const reason = (output.confirmation as { reason?: string } | undefined)?.reason;
      await decideInsurance(tx, actor, instance.businessKey, { confirmed: false, reason });
      return { returned: true };
    },
  },
};
