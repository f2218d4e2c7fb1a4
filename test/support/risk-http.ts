import { policy, registration } from "./insurance";
import { apiOverHttp, signInOverHttp } from "./platform";
import { demoCreditCode } from "./workflow";

// Risk management as the insurer's and the TIS's systems drive it over HTTP: a project through the
// insurance review, and the named tasks of its risk management through the task API.

type Instance = { id: string; businessKey: string; openTasks: { id: string }[] };
type TaskRow = { id: string; name: string; title: string };

async function completeNext(base: string, cookie: string, instanceId: string, submission: unknown): Promise<void> {
  const { openTasks } = await apiOverHttp<Instance>(base, cookie, "GET", `/api/v1/instances/${instanceId}`);
  await apiOverHttp(base, cookie, "POST", `/api/v1/tasks/${openTasks[0].id}/complete`, { submission });
}

/**
 * A PICC project through the insurance review, confirmed by the regulator, with the demo TIS and
 * contractor unless others are named (demo organisation keys), and `registration`'s fields of its
 * 报建信息 in place of the usual (district, coordinates); its risk management waits for the TIS's
 * plan. Its id.
 */
export async function insuredOverHttp(
  base: string,
  project: { name: string; permitNo: string; policyNo: string; tis?: string; contractor?: string; registration?: Record<string, unknown> },
): Promise<string> {
  const insurer = await signInOverHttp(base, "insurer");
  const review = await apiOverHttp<Instance>(base, insurer, "POST", "/api/v1/processes/insurance-review/instances", {
    title: "新建承保项目",
  });
  const contractor = { creditCode: demoCreditCode(project.contractor ?? "con-yj2") };
  await completeNext(
    base,
    insurer,
    review.id,
    registration({ permitNo: project.permitNo, name: project.name, contractor, ...project.registration }),
  );
  await completeNext(
    base,
    insurer,
    review.id,
    policy({ policyNo: project.policyNo, tisCreditCode: demoCreditCode(project.tis ?? "tis-yjk") }),
  );
  await completeNext(base, await signInOverHttp(base, "regulator"), review.id, { decision: "confirm" });
  return (await apiOverHttp<Instance>(base, insurer, "GET", `/api/v1/instances/${review.id}`)).businessKey;
}

/** The id of the open task named `name` of the project's risk management in the user's 待办. */
export async function riskTaskOverHttp(base: string, cookie: string, project: string, name: string): Promise<string> {
  const { rows } = await apiOverHttp<{ rows: TaskRow[] }>(base, cookie, "GET", `/api/v1/tasks?process=risk-management&pageSize=100`);
  const task = rows.find((t) => t.name === name && t.title.includes(project));
  if (!task) throw new Error(`no task ${name} of ${project}: ${rows.map((t) => `${t.title}/${t.name}`).join(", ")}`);
  return task.id;
}

/** Completes the open task named `name` of the project's risk management. */
export async function completeRiskTaskOverHttp(base: string, cookie: string, project: string, name: string, submission: unknown) {
  const task = await riskTaskOverHttp(base, cookie, project, name);
  await apiOverHttp(base, cookie, "POST", `/api/v1/tasks/${task}/complete`, { submission });
}
