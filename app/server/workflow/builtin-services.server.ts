import { ROLES, type Role } from "@db/schema/roles";
import { notifyRole } from "../notifications.server";
import { registerService } from "./services.server";

// The platform services every diagram may call. Business modules register theirs beside them.
registerService("notify", {
  label: "通知角色",
  async run({ tx, instance, params }) {
    const role = params.role as Role;
    if (!ROLES.includes(role)) throw new Error(`通知的角色“${params.role}”不存在`);
    const sent = await notifyRole(tx, role, instance.parties[role] ?? null, {
      title: params.message || `“${instance.title}”有新的进展`,
      body: instance.title,
      link: `/instances/${instance.id}`,
    });
    return { notified: sent };
  },
});
