import { eq } from "drizzle-orm";
import { z } from "zod";
import { tasks, type ProcessInstance } from "@db/schema";
import type { Actor } from "../auth/actor";
import { ConflictError, NotFoundError } from "../errors.server";
import { endInstanceAudited } from "./end-instances.server";
import { getInstance, isStarter, mayWithdraw } from "./instances.server";
import { lockInstance, stepTransaction } from "./step.server";

const NOT_YOURS = "流程不存在，或不是您发起的";

/**
 * 撤回: the starter takes back a flow whose first step nobody has submitted, so that an abandoned
 * start (新建承保项目 left at 待录入报建信息) leaves no task in anyone's inbox. One transaction:
 * the instance is locked first, then its tasks and timers (the one lock order); its open tasks and
 * pending timers are cancelled and it ends as withdrawn. Nothing was made of its business object:
 * services run only after a submitted step (the review's project is created by its registration).
 * Anyone but the starter finds nothing to withdraw (404); a flow already worked on or ended is 409.
 */
export async function withdrawInstance(actor: Actor, instanceId: string): Promise<ProcessInstance> {
  if (!z.uuid().safeParse(instanceId).success) throw new NotFoundError(NOT_YOURS);
  return stepTransaction(async (tx) => {
    const seen = await getInstance(actor, instanceId, tx).catch((error) => {
      throw error instanceof NotFoundError ? new NotFoundError(NOT_YOURS) : error;
    });
    if (!isStarter(actor, seen)) throw new NotFoundError(NOT_YOURS);
    // An ended flow is refused here (409 该流程已结束).
    const instance = (await lockInstance(tx, instanceId))!;
    const rows = await tx.select().from(tasks).where(eq(tasks.instanceId, instance.id)).for("update");
    if (instance.status !== "running") throw new ConflictError("该流程处于异常状态，不能撤回，请联系平台管理员");
    if (!mayWithdraw(actor, instance, rows)) throw new ConflictError("该流程已有环节提交，不能撤回");
    return endInstanceAudited(tx, actor, instance, "withdraw");
  });
}
