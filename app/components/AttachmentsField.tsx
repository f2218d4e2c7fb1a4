import { UploadOutlined } from "@ant-design/icons";
import { useField } from "@formily/react";
import type { Field } from "@formily/core";
import { Button, Upload, type UploadFile } from "antd";
import { useEffect, useState } from "react";
import { PhotoThumbnails } from "./PhotoThumbnails";
import { shrinkPhoto } from "./shrink-photo";

export interface AttachmentValue {
  id: string;
  name: string;
  size: number;
}

const toFile = (a: AttachmentValue): UploadFile => ({ uid: a.id, name: a.name, status: "done", url: `/attachments/${a.id}`, response: a });

/**
 * A form's file field (x-component "Attachments"): uploads to /attachments and keeps the references
 * the server returned. The server checks size and real type; its Chinese message shows on the file.
 * For photos on site a schema may add `capture: "environment"` (a phone opens its rear camera) and
 * `maxImageSide` (larger images are scaled down to it in the browser before they are uploaded);
 * a field accepting only images shows them as thumbnails.
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
  // A form is not submitted while a file is still on its way: it would be left out without a word.
  const field = useField<Field>() as Field | undefined;
  const uploading = files.some((f) => f.status === "uploading");
  useEffect(() => {
    field?.setFeedback?.({ type: "error", code: "UploadPending", messages: uploading ? ["文件正在上传，请上传完成后再提交"] : [] });
  }, [field, uploading]);
  return (
    <Upload
      action="/attachments"
      name="file"
      withCredentials
      accept={accept}
      capture={capture}
      beforeUpload={maxImageSide ? (file) => shrinkPhoto(file, maxImageSide) : undefined}
      listType={accept?.split(",").every((type) => type.trim().startsWith("image/")) ? "picture" : "text"}
      maxCount={maxCount}
      disabled={readOnly}
      fileList={files}
      showUploadList={{ showRemoveIcon: !readOnly }}
      onChange={({ fileList }) => {
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
      }}
    >
      {readOnly ? null : (
        <Button icon={<UploadOutlined />} aria-label={label}>
          上传文件
        </Button>
      )}
    </Upload>
  );
}

/** Read-only list of attached files with download links. */
export function AttachmentsPreview({ value }: { value?: AttachmentValue[] }) {
  if (!value?.length) return <span>无</span>;
  // Photos are seen, not only downloaded (the defect, the rectification, the site): thumbnails above the files' links.
  const photos = value.filter((a) => IMAGE_NAME.test(a.name));
  return (
    <>
      {photos.length ? <PhotoThumbnails photos={photos} /> : null}
      <ul style={{ margin: 0, paddingLeft: 18 }}>
        {value.map((a) => (
          <li key={a.id}>
            <a href={`/attachments/${a.id}`}>{a.name}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

const IMAGE_NAME = /\.(jpe?g|png)$/i;
