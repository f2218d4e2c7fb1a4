import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, AUDIT_SUBJECT_LABELS, auditActionLabel } from "~/shared/audit-actions";

// Every action the platform writes to the audit log has a Chinese label: read from the code itself,
// each recordAudit call's `action:` (a literal, a constant, a ternary or a template over a union).

const root = path.resolve(__dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((f) => f.isFile() && /\.tsx?$/.test(f.name))
    .map((f) => path.join(f.parentPath, f.name));
}

/** The text of the `action:` property inside a call starting at `from`. */
function actionExpression(text: string, from: number): string | null {
  const at = text.indexOf("action:", from);
  if (at < 0 || at - from > 400) return null;
  let depth = 0;
  let i = at + "action:".length;
  for (; i < text.length; i++) {
    const c = text[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) break;
      depth--;
    } else if (c === "," && depth === 0) break;
  }
  return text.slice(at + "action:".length, i).trim();
}

function writtenActions(): { file: string; expression: string; actions: string[] }[] {
  // audit.server.ts itself writes whatever action it is given.
  const files = [...sources("app/server"), ...sources("bots"), ...sources("app/demo")].filter((f) => !f.endsWith(`${path.sep}audit.server.ts`));
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  const constants = new Map<string, string>();
  for (const text of texts.values()) for (const m of text.matchAll(/const ([A-Z_]+) = "([a-z_]+\.[a-z_]+)"/g)) constants.set(m[1], m[2]);
  const found: { file: string; expression: string; actions: string[] }[] = [];
  for (const [file, text] of texts) {
    const calls = [...text.matchAll(/recordAudit\(|insert\(auditEvents\)/g)].filter(
      (m) => !text.slice(m.index - 20, m.index).includes("function"),
    );
    for (const call of calls) {
      const expression = actionExpression(text, call.index);
      if (!expression) continue;
      const actions = [...expression.matchAll(/"([a-z_]+\.[a-z_]+)"/g)].map((m) => m[1]);
      for (const m of expression.matchAll(/\b([A-Z_]{3,})\b/g)) if (constants.has(m[1])) actions.push(constants.get(m[1])!);
      // A template over a parameter typed as a union of literals: `task.${intent}` with intent: "claim" | "unclaim".
      for (const m of expression.matchAll(/`([a-z_]+\.)\$\{(\w+)\}`/g)) {
        const union = new RegExp(`${m[2]}: ((?:"[a-z_]+"(?: \\| )?)+)`).exec(text);
        for (const v of union?.[1].matchAll(/"([a-z_]+)"/g) ?? []) actions.push(m[1] + v[1]);
      }
      found.push({ file: path.relative(root, file), expression, actions });
    }
  }
  return found;
}

describe("audit action labels", () => {
  const written = writtenActions();

  it("finds the actions of every recordAudit call (an action it cannot read fails here)", () => {
    expect(written.length).toBeGreaterThan(25);
    for (const call of written) expect(call.actions, `${call.file}: action: ${call.expression}`).not.toEqual([]);
  });

  it("labels every action written in app/server, bots/ and app/demo/ in Chinese", () => {
    const missing = written.flatMap((c) => c.actions.filter((a) => !(a in AUDIT_ACTION_LABELS)).map((a) => `${c.file}: ${a}`));
    expect(missing).toEqual([]);
    for (const call of written) for (const action of call.actions) expect(auditActionLabel(action)).toMatch(/^[\u4e00-\u9fa5（）]+$/);
  });

  it("includes the claim and unclaim of a task, written through a template", () => {
    expect(written.flatMap((c) => c.actions)).toEqual(
      expect.arrayContaining(["task.claim", "task.unclaim", "auth.login_failed", "project.return"]),
    );
  });

  it("names every label and subject type in Chinese, and an unknown action without its code", () => {
    for (const label of [...Object.values(AUDIT_ACTION_LABELS), ...Object.values(AUDIT_SUBJECT_LABELS)])
      expect(label).toMatch(/^[\u4e00-\u9fa5（）]+$/);
    expect(auditActionLabel("something.new")).toBe("其他操作");
  });
});
