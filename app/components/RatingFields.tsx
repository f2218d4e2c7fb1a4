import Checkbox from "antd/es/checkbox";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Rate from "antd/es/rate";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";
import { RATING_COMMENT_MAX } from "~/shared/claim-limits";
import { textLimit } from "./text-limit";

// 服务评价 fields (stars, the usual complaint reasons, a comment), for an antd form posted as JSON.

// As the rating service words it, with its limit.
const COMMENT = textLimit("评价内容", RATING_COMMENT_MAX);

export function RatingFields() {
  return (
    <>
      <Form.Item label="满意度" name="stars" rules={[{ required: true, message: "请选择1至5星" }]}>
        <Rate aria-label="满意度" />
      </Form.Item>
      <Form.Item label="不满意的方面（可多选）" name="reasons">
        <Checkbox.Group options={Object.entries(RATING_REASON_LABELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item label="评价内容" name="comment" rules={[COMMENT.rule]}>
        <Input.TextArea rows={3} count={COMMENT.count} aria-label="评价内容" />
      </Form.Item>
    </>
  );
}
