import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readDiagram, xmlProblem } from "~/server/workflow/index.server";

// The deploy check's first look at a diagram, before any model is built from it.

const diagram = readFileSync("processes/demo-approval.bpmn", "utf8");

describe("a diagram's XML", () => {
  it("refuses a DOCTYPE, which could name a file of the server", () => {
    const doctype = diagram.replace("<bpmn:definitions", '<!DOCTYPE x SYSTEM "file:///etc/passwd">\n<bpmn:definitions');
    expect(xmlProblem(doctype)).toMatch(/^第 \d+ 行第 \d+ 列：流程图不能包含 DOCTYPE 声明$/);
  });

  it("refuses nesting deeper than 200 quickly, before reading it all", () => {
    const deep = diagram.replace(
      "<bpmn:extensionElements>",
      `<bpmn:extensionElements>${"<x:a xmlns:x='urn:x'>".repeat(40_000)}${"</x:a>".repeat(40_000)}`,
    );
    expect(deep).not.toBe(diagram);
    const started = Date.now();
    expect(xmlProblem(deep)).toMatch(/流程图嵌套层次过深（超过200层）/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("refuses a standard prefix bound to another namespace, and says the parser's refusals in Chinese", () => {
    const rebound = diagram.replace("<bpmn:extensionElements>", '<bpmn:extensionElements><bpmn:x xmlns:bpmn="urn:other" />');
    expect(xmlProblem(rebound)).toMatch(/前缀“bpmn”只能绑定到 http:\/\/www\.omg\.org\/spec\/BPMN\/20100524\/MODEL/);
    expect(xmlProblem(diagram.replace("<bpmn:definitions", '<bpmn:definitions xmlns:xml="urn:x"'))).toMatch(/前缀 xml 只能绑定到/);
    expect(xmlProblem(diagram.replace("<bpmn:definitions", '<bpmn:definitions xmlns:q=""'))).toMatch(/XML 1.0 中不能取消前缀的绑定/);
    expect(xmlProblem(diagram)).toBeNull();
  });
});

describe("bpmn-moddle's refusals", () => {
  it("are said in Chinese, with where", async () => {
    const said = (xml: string) =>
      readDiagram(xml).then(
        () => null,
        (error: Error) => error.message,
      );
    expect(await said(diagram.replace("<bpmn:extensionElements>", "<bpmn:extensionElements><camunda:x />"))).toMatch(
      /^无法解析流程图 XML：第 \d+ 行第 \d+ 列：不认识的元素 <camunda:x>（不是 BPMN 或 camunda 定义的元素）$/,
    );
    expect(await said(`${diagram}junk`)).toMatch(/^无法解析流程图 XML：第 \d+ 行第 \d+ 列：根元素之外有文字$/);
    expect(await said(diagram.replace(/bpmn:definitions/g, "bpmn:process2"))).toBe(
      "无法解析流程图 XML：文件的根元素不是 <bpmn:definitions>",
    );
  });
});
