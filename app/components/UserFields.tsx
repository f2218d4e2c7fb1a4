import Checkbox from "antd/es/checkbox";
import Col from "antd/es/col";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Row from "antd/es/row";
import Select from "antd/es/select";
import type { OrganisationType } from "@db/schema/roles";
import { ORGANISATION_TYPE_LABELS, ROLE_LABELS } from "~/shared/labels";
import { rolesAllowedFor } from "~/shared/permissions";
import { textLimit } from "./text-limit";
import { newPasswordRule } from "~/shared/password-rule";
import { choosePrompt, organisationOptionMatches } from "./FilterSelect";

// As the users' service words it.
const DISPLAY_NAME = textLimit("姓名", 50);

export interface OrganisationOption {
  id: string;
  name: string;
  type: OrganisationType;
}

/** A user's profile fields; on the create page also the user name and first password. */
export function UserFields({ organisations, creating }: { organisations: OrganisationOption[]; creating?: boolean }) {
  const organisationId = Form.useWatch("organisationId");
  const organisation = organisations.find((o) => o.id === organisationId);
  const roleOptions = organisation ? rolesAllowedFor(organisation.type).map((r) => ({ value: r, label: ROLE_LABELS[r] })) : [];
  return (
    <Row gutter={16}>
      {creating ? (
        <>
          <Col xs={24} md={12}>
            <Form.Item
              label="用户名"
              name="username"
              rules={[{ required: true, message: "请输入用户名" }]}
              extra="3至32位，以字母开头，登录时使用"
            >
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="初始密码"
              name="password"
              rules={[{ required: true, message: "请输入初始密码" }, newPasswordRule]}
              extra="至少8位，须同时包含字母和数字"
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </Col>
        </>
      ) : null}
      <Col xs={24} md={12}>
        <Form.Item label="姓名" name="displayName" rules={[{ required: true, message: "请输入姓名" }, DISPLAY_NAME.rule]}>
          <Input count={DISPLAY_NAME.count} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label="手机号" name="phone">
          <Input inputMode="tel" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label="所属单位" name="organisationId" rules={[{ required: true, message: "请选择所属单位" }]}>
          <Select
            showSearch
            placeholder={choosePrompt("所属单位")}
            filterOption={organisationOptionMatches}
            options={organisations.map((o) => ({ value: o.id, label: `${o.name}（${ORGANISATION_TYPE_LABELS[o.type]}）` }))}
          />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item
          label="角色"
          name="roles"
          rules={[{ required: true, message: "请至少选择一个角色" }]}
          extra={organisation ? undefined : "先选择所属单位"}
        >
          <Checkbox.Group options={roleOptions} />
        </Form.Item>
      </Col>
    </Row>
  );
}
