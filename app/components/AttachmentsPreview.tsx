import { PhotoThumbnails } from "./PhotoThumbnails";

// Attached files as a page shows them (a submission's, a risk event's, a project's documents):
// photos as thumbnails, every file as its download link. Without the upload field
// (AttachmentsField), which only forms draw.

export interface AttachmentValue {
  id: string;
  name: string;
  size: number;
}

const IMAGE_NAME = /\.(jpe?g|png)$/i;

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
