import { eq } from "drizzle-orm";
import { projects, type Project, type ProjectStage } from "@db/schema";
import type { Tx } from "@db/client";
import { clock } from "../clock.server";
import { ConflictError, NotFoundError } from "../errors.server";

// The project a risk-management step acts on, locked for the step, and the moves of its stage.

export async function lockProject(tx: Tx, projectId: string): Promise<Project> {
  const [project] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update");
  if (!project) throw new NotFoundError("项目不存在");
  return project;
}

/** A terminated project takes no more risk-management steps. */
export function refuseTerminated(project: Project): void {
  if (project.stage === "terminated") throw new ConflictError("该项目的保险合同已终止");
}

export async function moveStage(tx: Tx, projectId: string, stage: ProjectStage, more: Partial<Project> = {}): Promise<void> {
  await tx
    .update(projects)
    .set({ ...more, stage, updatedAt: clock.now() })
    .where(eq(projects.id, projectId));
}
