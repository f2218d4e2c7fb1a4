import { describe, expect, it } from "vitest";
import { isCrossSiteMutation } from "~/server/http/origin.server";

const base = { host: "idi.km.gov.cn", origin: undefined, referer: undefined, cookie: "idi_session=x" };

describe("the cross-site check", () => {
  it("lets reads through from anywhere", () => {
    expect(isCrossSiteMutation({ ...base, method: "GET", origin: "https://evil.example" })).toBe(false);
  });

  it("lets a same-origin post through, by Origin or by Referer", () => {
    expect(isCrossSiteMutation({ ...base, method: "POST", origin: "https://idi.km.gov.cn" })).toBe(false);
    expect(isCrossSiteMutation({ ...base, method: "POST", referer: "https://idi.km.gov.cn/admin/users" })).toBe(false);
  });

  it("refuses a post from another origin, a look-alike host, or with no origin at all", () => {
    expect(isCrossSiteMutation({ ...base, method: "POST", origin: "https://evil.example" })).toBe(true);
    expect(isCrossSiteMutation({ ...base, method: "DELETE", origin: "https://idi.km.gov.cn.evil.example" })).toBe(true);
    expect(isCrossSiteMutation({ ...base, method: "POST", origin: "null" })).toBe(true);
    expect(isCrossSiteMutation({ ...base, method: "POST" })).toBe(true);
  });

  it("lets an API client without cookies through (it carries no ambient credentials), not one with cookies", () => {
    expect(isCrossSiteMutation({ ...base, method: "POST", cookie: undefined })).toBe(false);
    expect(isCrossSiteMutation({ ...base, method: "POST" })).toBe(true);
  });
});
