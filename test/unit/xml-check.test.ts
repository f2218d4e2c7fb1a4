import { describe, expect, it } from "vitest";
import { xmlProblem } from "~/server/workflow/index.server";

describe("what is wrong with a diagram's XML, in Chinese", () => {
  it("names the line, the column and the fault", () => {
    expect(xmlProblem('<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')).toMatch(
      /^第 1 行第 \d+ 列：XML 格式不正确（使用了未定义的实体（不支持 DTD 实体））$/,
    );
    expect(xmlProblem('<x a="1" a="2"/>')).toContain("同一元素的属性重复");
    expect(xmlProblem("<x/>tail")).toContain("根元素之外有文字");
    expect(xmlProblem("<x><y></x>")).toContain("XML 格式不正确");
    expect(xmlProblem('<bpmndi:x xmlns:bpmn="b"/>')).toContain("命名空间前缀“bpmndi”未声明");
    expect(xmlProblem('<x xmlns="y"/>')).toBeNull();
  });
});
