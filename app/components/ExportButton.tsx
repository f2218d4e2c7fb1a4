import DownloadOutlined from "@ant-design/icons/es/icons/DownloadOutlined";
import { useLocation } from "@remix-run/react";
import Button from "antd/es/button";
import { useState } from "react";
import { useFeedback } from "~/components/feedback";

// 导出 Excel of the list on screen: its query (filters, search) is the export's. Fetched rather
// than followed as a link, so the page can say what it is doing while the file streams in
// (正在导出 N 行…, from the row count the server sends first) and tell a refusal in words.

const fileName = (disposition: string | null) => {
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? "")?.[1];
  return encoded ? decodeURIComponent(encoded) : "导出.xlsx";
};

/** What a refused export says: each refused field's message (a JSON refusal, as the API's), else its text. */
async function refusalOf(response: Response): Promise<string> {
  if (!(response.headers.get("Content-Type") ?? "").includes("json")) return response.text();
  const body = (await response.json().catch(() => null)) as { message?: string; fields?: Record<string, string> } | null;
  const fields = Object.values(body?.fields ?? {});
  return fields.length ? fields.join("；") : (body?.message ?? "");
}

export function ExportButton({ list }: { list: "projects" | "risk-events" | "claims" | "ratings" }) {
  const location = useLocation();
  const { message } = useFeedback();
  const [progress, setProgress] = useState<string | null>(null);

  async function run() {
    setProgress("正在准备导出…");
    try {
      const response = await fetch(`/export/${list}${location.search}`, { credentials: "same-origin" });
      if (!response.ok || !response.body) {
        message.error((await refusalOf(response)) || "导出失败，请稍后重试");
        return;
      }
      const rows = Number(response.headers.get("X-Export-Rows") ?? 0);
      const reader = response.body.getReader();
      const chunks: BlobPart[] = [];
      let received = 0;
      for (;;) {
        setProgress(`正在导出 ${rows.toLocaleString("zh-CN")} 行…（已接收 ${Math.round(received / 1024).toLocaleString("zh-CN")} KB）`);
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        received += value.byteLength;
      }
      const url = URL.createObjectURL(new Blob(chunks, { type: response.headers.get("Content-Type") ?? undefined }));
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName(response.headers.get("Content-Disposition"));
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      message.success(`已导出 ${rows.toLocaleString("zh-CN")} 行`);
    } catch {
      message.error("导出中断，请检查网络后重试");
    } finally {
      setProgress(null);
    }
  }

  return (
    <Button icon={<DownloadOutlined aria-hidden />} onClick={run} loading={progress !== null} disabled={progress !== null} data-testid="export">
      {progress ?? "导出 Excel"}
    </Button>
  );
}
