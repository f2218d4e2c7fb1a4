import Image from "antd/es/image";
import Space from "antd/es/space";

export interface PhotoRef {
  id: string;
  name: string;
}

/** Site photos as small thumbnails that open full size; files come through /attachments (scope-checked). */
export function PhotoThumbnails({ photos, size = 72 }: { photos: PhotoRef[]; size?: number }) {
  if (!photos.length) return <span>无</span>;
  return (
    <Image.PreviewGroup>
      <Space wrap size={8}>
        {photos.map((p) => (
          <Image
            key={p.id}
            src={`/attachments/${p.id}`}
            alt={p.name}
            width={size}
            height={size}
            style={{ objectFit: "cover", borderRadius: 4 }}
            preview={{ mask: "查看" }}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}
