// Any other path under /api/v1: a JSON 404, not the HTML page.
const notFound = () => Response.json({ error: "not_found", message: "接口不存在" }, { status: 404 });

export const loader = notFound;
export const action = notFound;
