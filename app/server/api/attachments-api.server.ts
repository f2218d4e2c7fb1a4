import { ALLOWED_TYPES, maxAttachmentBytes } from "../attachments.server";
import { FileRef, type Operation } from "./contract-common.server";

// Files over the API: uploading one (a report's photos, a form's file fields) and reading it back.
// The routes are the pages' own (app/routes/attachments*.tsx), so only the contract is here.

export const ATTACHMENT_OPERATIONS: Operation[] = [
  {
    id: "uploadAttachment",
    method: "post",
    path: "/attachments",
    summary: "上传附件（报案照片、表单的文件字段）：返回的文件引用填入 photos 或表单的文件字段",
    upload: {
      maxBytes: maxAttachmentBytes,
      mediaType: Object.keys(ALLOWED_TYPES).join(", "),
      description: `文件（${Object.values(ALLOWED_TYPES)
        .map((t) => t.label)
        .join("、")}，按内容判断类型，文件名的扩展名随之改正；大小上限为平台设置的 ATTACHMENT_MAX_MB，默认 20MB）`,
    },
    response: FileRef,
    errors: [401, 422],
  },
  {
    id: "getAttachment",
    method: "get",
    path: "/attachments/{id}",
    summary: "下载附件（上传者本人，或可查看其所属流程、案件的用户）",
    download: { mediaTypes: Object.keys(ALLOWED_TYPES), description: "文件内容，Content-Type 为按内容判断的类型" },
    errors: [401, 404],
  },
];
