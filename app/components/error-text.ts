// What an error page says for a status: the signed-in frame's (ErrorPage, antd) and the light
// document's (PlainErrorPage) say the same.

export const ERROR_TEXT: Record<number, { title: string; subTitle: string }> = {
  403: { title: "无权访问", subTitle: "您的角色没有访问此页面的权限。如需开通，请联系平台管理员。" },
  404: { title: "页面不存在", subTitle: "您访问的页面或记录不存在，或不在您的查看范围内。" },
  405: { title: "不支持该操作", subTitle: "此页面不接受这种请求，您的操作没有生效。请返回上一页重新操作。" },
  422: { title: "查询条件有误", subTitle: "请修改查询条件后重试。" },
  500: { title: "系统出错了", subTitle: "处理请求时发生错误，您的操作没有生效。请稍后重试，或联系平台管理员。" },
};

/** The text for `status`: anything not listed is a server error. */
export const errorText = (status: number) => ERROR_TEXT[status] ?? ERROR_TEXT[500];
