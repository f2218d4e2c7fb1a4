import { describe, expect, it } from "vitest";
import { organisationNameMatches } from "~/shared/insurer-short-names";

// The selects that filter organisations in the browser (所属单位, an API key's 单位) find insurers by
// the short names people use, as the server's searches do (test/flows/organisation-lookup.test.ts).

describe("an organisation's name answers a search by its insurer's short name", () => {
  it("太保 and 人保 find their companies, with more of the name too; other names only by what they hold", () => {
    expect(organisationNameMatches("中国太平洋财产保险股份有限公司云南分公司", "太保")).toBe(true);
    expect(organisationNameMatches("中国人民财产保险股份有限公司昆明市分公司", "人保 昆明")).toBe(true);
    expect(organisationNameMatches("中国人民财产保险股份有限公司昆明市分公司", "人保云南")).toBe(false);
    expect(organisationNameMatches("中国平安财产保险股份有限公司云南分公司", "太保")).toBe(false);
    expect(organisationNameMatches("昆明滇池湾置业有限公司", "滇池湾")).toBe(true);
  });
});
