import Col from "antd/es/col";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Row from "antd/es/row";
import Select from "antd/es/select";
import { ORGANISATION_TYPES } from "@db/schema/roles";
import { creditCodeProblem } from "~/shared/credit-code";
import { DISTRICTS } from "~/shared/districts";
import { ORGANISATION_TYPE_LABELS } from "~/shared/labels";
import { textLimit } from "./text-limit";
import { choosePrompt, options } from "./FilterSelect";

// As the organisations' service words them (organisationInputSchema).
const NAME = textLimit("单位名称", 100);
const CONTACT = textLimit("联系人", 50);
const ADDRESS = textLimit("地址", 200);

/** The fields of an organisation, shared by the create and edit pages. */
export function OrganisationFields() {
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item label="单位名称" name="name" rules={[{ required: true, message: "请输入单位名称" }, NAME.rule]}>
          <Input count={NAME.count} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label="单位类型" name="type" rules={[{ required: true, message: "请选择单位类型" }]}>
          <Select placeholder={choosePrompt("单位类型")} options={options(ORGANISATION_TYPES, ORGANISATION_TYPE_LABELS)} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item
          label="统一社会信用代码"
          name="creditCode"
          rules={[
            { required: true, message: "请输入统一社会信用代码" },
            {
              validator: async (_, v) => {
                const p = v ? creditCodeProblem(String(v)) : null;
                if (p) throw new Error(p);
              },
            },
          ]}
        >
          <Input style={{ textTransform: "uppercase" }} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label="所在区县" name="district">
          <Select allowClear placeholder={choosePrompt("区县")} options={DISTRICTS.map((d) => ({ value: d.code, label: d.name }))} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label="联系人" name="contactPerson" rules={[CONTACT.rule]}>
          <Input count={CONTACT.count} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label="联系电话" name="contactPhone">
          <Input inputMode="tel" />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item label="地址" name="address" rules={[ADDRESS.rule]}>
          <Input count={ADDRESS.count} />
        </Form.Item>
      </Col>
    </Row>
  );
}
