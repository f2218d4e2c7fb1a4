import { List } from "~/components/ui/List";
import { Tag } from "~/components/ui/Tag";
import { formatDateTime } from "~/shared/time";

// A task's 加签: whom its holder asked, how (前加签/后加签), and what they answered.

export interface SignLine {
  id: string;
  kindLabel: string;
  signerName: string;
  status: "open" | "approved" | "returned" | "cancelled";
  note: string | null;
  askedByName: string;
  createdAt: string;
  opinion: string | null;
  answeredByName: string | null;
  answeredAt: string | null;
}

const STATUS: Record<SignLine["status"], { text: string; color: string }> = {
  open: { text: "待答复", color: "processing" },
  approved: { text: "同意", color: "success" },
  returned: { text: "退回", color: "warning" },
  cancelled: { text: "已取消", color: "default" },
};

export function SignList({ signs }: { signs: SignLine[] }) {
  return (
    <List
      aria-label="加签"
      dataSource={signs}
      renderItem={(s) => (
        <List.Item>
          <List.Item.Meta
            title={
              <span>
                {s.kindLabel}：{s.askedByName}请{s.signerName}提出意见 <Tag color={STATUS[s.status].color}>{STATUS[s.status].text}</Tag>
              </span>
            }
            description={
              <>
                <div>
                  {formatDateTime(s.createdAt)}
                  {s.note ? `，加签说明：${s.note}` : ""}
                </div>
                {s.answeredByName ? (
                  <div>
                    加签意见（{s.answeredByName}，{formatDateTime(s.answeredAt)}）：{STATUS[s.status].text}
                    {s.opinion ? `，${s.opinion}` : ""}
                  </div>
                ) : null}
              </>
            }
          />
        </List.Item>
      )}
    />
  );
}
