import { describe, expect, it } from "vitest";
import { DeployProcessBody } from "~/server/api/process-admin-api.server";

// POST /api/v1/processes reads its body as the dry run does: a key it does not read is refused.

describe("the deploy's body", () => {
  it("refuses a key the deploy does not read, as the dry run does", () => {
    const parsed = DeployProcessBody.safeParse({ xml: "<x/>", reason: "发布", reasn: "拼错" });
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(["不允许的字段：reasn"]);
    expect(DeployProcessBody.safeParse({ xml: "<x/>", reason: "发布" }).success).toBe(true);
  });
});
