import type AntdImage from "antd/es/image";
import { useState } from "react";
import { Space } from "./ui/Space";
import { useAntdClass } from "./ui/antd-class";

export interface PhotoRef {
  id: string;
  name: string;
}

/**
 * Site photos as small thumbnails that open full size; files come through /attachments
 * (scope-checked). The thumbnails are antd's as its stylesheet draws them; its viewer (zoom, turn,
 * the group's other photos) is loaded when a photo is first opened (decision 042).
 */
export function PhotoThumbnails({ photos, size = 72 }: { photos: PhotoRef[]; size?: number }) {
  const [viewer, setViewer] = useState<{ Image: typeof AntdImage; current: number } | null>(null);
  const image = useAntdClass("ant-image");
  if (!photos.length) return <span>无</span>;
  const open = (current: number) => void import("antd/es/image").then(({ default: Image }) => setViewer({ Image, current }));
  return (
    <>
      <Space wrap size={8}>
        {photos.map((p, i) => (
          <div key={p.id} className={image} style={{ width: size, height: size, cursor: "pointer" }} onClick={() => open(i)}>
            <img
              alt={p.name}
              className="ant-image-img"
              src={`/attachments/${p.id}`}
              width={size}
              height={size}
              style={{ height: size, objectFit: "cover", borderRadius: 4 }}
            />
            <div className="ant-image-mask">查看</div>
          </div>
        ))}
      </Space>
      {viewer ? (
        <viewer.Image.PreviewGroup
          items={photos.map((p) => `/attachments/${p.id}`)}
          preview={{ visible: true, current: viewer.current, onVisibleChange: (visible) => !visible && setViewer(null) }}
        />
      ) : null}
    </>
  );
}
