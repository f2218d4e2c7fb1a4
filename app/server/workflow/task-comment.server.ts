import { z } from "zod";

// 办理意见: the one check of a completion's comment, for the task page and the REST API alike.
export const taskComment = z
  .string({ error: "办理意见应为文字" })
  .trim()
  .max(2000, "办理意见不能超过2000个字")
  .nullish()
  .describe("办理意见");
