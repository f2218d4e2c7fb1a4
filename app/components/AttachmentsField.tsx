import CameraOutlined from "@ant-design/icons/es/icons/CameraOutlined";
import UploadOutlined from "@ant-design/icons/es/icons/UploadOutlined";
import { useField } from "@formily/react";
import type { Field } from "@formily/core";
import Button from "antd/es/button";
import { Space } from "~/components/ui/Space";
import Upload from "antd/es/upload";
import type { UploadFile, UploadProps } from "antd";
import { useEffect, useState } from "react";
import { shrinkPhoto } from "./shrink-photo";
import { useFeedback } from "~/components/feedback";

import type { AttachmentValue } from "./AttachmentsPreview";

const toFile = (a: AttachmentValue): UploadFile => ({ uid: a.id, name: a.name, status: "done", url: `/attachments/${a.id}`, response: a });

/**
 * A form's file field (x-component "Attachments"): uploads to /attachments and keeps the references
 * the server returned. Several files may be chosen at once (unless `maxCount` is 1); each is
 * uploaded and checked on its own: the server checks size and real type, and its Chinese message
 * shows on the file. Files beyond `maxCount` are not uploaded, and the user is told so.
 * For photos on site a schema may add `capture: "environment"` (on a phone, a 拍照 button beside
 * 上传文件 opens its rear camera) and `maxImageSide` (larger images are scaled down to it in the
 * browser before they are uploaded, one after the other); a field accepting only images shows them
 * as thumbnails.
 */
export function AttachmentsField({
  value,
  onChange,
  accept,
  capture,
  maxImageSide,
  maxCount,
  readOnly,
  "aria-label": label,
}: {
  value?: AttachmentValue[];
  onChange?: (v: AttachmentValue[]) => void;
  accept?: string;
  capture?: "user" | "environment";
  maxImageSide?: number;
  maxCount?: number;
  readOnly?: boolean;
  "aria-label"?: string;
}) {
  const [files, setFiles] = useState<UploadFile[]>(() => (value ?? []).map(toFile));
  const { message } = useFeedback();
  // A form is not submitted while a file is still on its way: it would be left out without a word.
  const field = useField<Field>() as Field | undefined;
  const uploading = files.some((f) => f.status === "uploading");
  useEffect(() => {
    field?.setFeedback?.({ type: "error", code: "UploadPending", messages: uploading ? ["文件正在上传，请上传完成后再提交"] : [] });
  }, [field, uploading]);
  const shared: UploadProps = {
    action: "/attachments",
    name: "file",
    withCredentials: true,
    accept,
    maxCount,
    disabled: readOnly,
    fileList: files,
    listType: accept?.split(",").every((type) => type.trim().startsWith("image/")) ? "picture" : "text",
    beforeUpload(file, chosen) {
      // antd would quietly keep only the first maxCount of the list: say which were left out.
      const room = maxCount === undefined || maxCount === 1 ? Infinity : maxCount - files.length;
      const position = chosen.indexOf(file);
      if (position >= room) {
        if (position === Math.max(room, 0))
          message.warning(`“${label ?? "附件"}”最多${maxCount}个文件，本次所选的后${chosen.length - Math.max(room, 0)}个未上传`);
        return Upload.LIST_IGNORE;
      }
      return maxImageSide ? shrinkPhoto(file, maxImageSide) : true;
    },
    onChange({ fileList }) {
      const next = fileList.map((f) => {
        const failure = f.status === "error" ? (f.response as { fields?: { file?: string }; message?: string } | undefined) : undefined;
        return failure
          ? { ...f, response: failure.fields?.file ?? failure.message ?? "上传失败" }
          : f.status === "done" && f.response
            ? { ...f, url: `/attachments/${(f.response as AttachmentValue).id}` }
            : f;
      });
      setFiles(next);
      onChange?.(
        next.filter((f) => f.status === "done" && f.response && typeof f.response === "object").map((f) => f.response as AttachmentValue),
      );
    },
  };
  // The buttons, then the one list of files (all three share it).
  return (
    <div>
      {readOnly ? null : (
        <Space wrap>
          {capture ? (
            // A phone's camera takes one photo at a time and the picker of several files would not
            // offer the album: on a phone, each has its button.
            <Upload {...shared} capture={capture} showUploadList={false} className="idi-narrow-only">
              <Button icon={<CameraOutlined aria-hidden />} aria-label={`${label ?? ""}（拍照）`}>
                拍照
              </Button>
            </Upload>
          ) : null}
          <Upload {...shared} multiple={maxCount !== 1} showUploadList={false}>
            <Button icon={<UploadOutlined aria-hidden />} aria-label={label}>
              上传文件
            </Button>
          </Upload>
        </Space>
      )}
      <Upload {...shared} showUploadList={{ showRemoveIcon: !readOnly }} />
    </div>
  );
}
