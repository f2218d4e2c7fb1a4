// What the modeler's page itself says (its deploy's reason, its problem list), apart from the
// properties panel's choices (process-modeling.ts): those bring timers' and conditions' parsers,
// which the page loads with the modeler, not with itself (decision 042).

/** The longest reason a deploy takes (the version list shows it). */
export const MAX_REASON_CHARS = 500;

/**
 * A lint finding as the problem list shows it: named by its element once. The platform's checks
 * already name the element (“提醒审核人”(remind)：…, Activity_1：…), bpmnlint's do not.
 */
export function lintIssueText(issue: { elementId: string; name: string; message: string }): string {
  const named = issue.message.includes(issue.elementId) || issue.message.includes(`“${issue.name}”`);
  return named ? issue.message : `${issue.name}：${issue.message}`;
}
