// The workflow runtime's one public face: versioned BPMN definitions run one step per transaction,
// their task rows and durable timers (docs/decisions/004, 005, 017). Everything outside
// app/server/workflow/ imports from here only (test/unit/import-cycles.test.ts keeps it so); the
// files behind it are the runtime's own to rearrange.

// Definitions: deploying diagrams and reading deployed versions.
export {
  definitionById,
  deployBuiltIns,
  deployCheckOptions,
  deployDefinition,
  latestDefinition,
  listLatestDefinitions,
  modelOf,
  startableDefinitions,
} from "./definitions.server";
export { camundaModdle, readDiagram, type DiagramModel } from "./bpmn-model.server";
export { xmlProblem } from "./xml-check.server";
export { dryRun, DryRunRefused, DRY_RUN_STEPS, type DryRunInput } from "./dry-run.server";

// Running flows: each call is one step (or one transaction of steps) of an instance.
export { flowStarterIn, startProcess, startableBy } from "./start.server";
export {
  completeTask,
  onTaskCompleting,
  taskComment,
  validateSubmission,
  type CompletedTask,
  type CompletionGuard,
} from "./complete.server";
export { withdrawInstance } from "./withdraw.server";
export { MAX_MESSAGE_BYTES, deliverMessage, messageSendableBy } from "./messages.server";
export { recallRefusal, recallTask, type TouchedCheck } from "./recall.server";
export { cancelInstances } from "./end-instances.server";
export { retryIncident } from "./incidents.server";
// 流程运维: an administrator's actions on running flows, each with a reason (docs/decisions/037).
export { cancelInstance, operateReason } from "./operate.server";
export { migrateInstances, previewMigration, type MigrationRow } from "./migrate.server";
export { stepTransaction } from "./step.server";
export { lockOpenTask } from "./task-lock.server";
export { TIMER_ATTEMPTS, fireDueTimers } from "./timers.server";
export { startScheduler } from "./scheduler.server";

// Reading instances and tasks, in the reader's scope (openTasksOf: the platform's own use).
export { canAct, getInstance, getTask, mayOpenInstance, mayOpenTask, mayWithdraw, openTasksOf, stepAccess } from "./instances.server";
export { businessSummary, flowFacts, type FlowFacts } from "./business-objects.server";

// What the app plugs in at its start (app/server/composition.server.ts).
export {
  registerService,
  registerServices,
  workflowServiceList,
  type FlowStarter,
  type ServiceContext,
  type WorkflowService,
} from "./services.server";
export { registerBusinessObjects, type BusinessObjectType } from "./business-objects.server";
export { platformServices } from "./builtin-services.server";
export { onEachPoll } from "./scheduler.server";
export { onTasksClosed } from "./step.server";
