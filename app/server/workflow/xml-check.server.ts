import { SaxesParser } from "saxes";

/** The parser's messages an administrator meets most, in Chinese (the rest stay as the parser says them). */
const SAXES_MESSAGES: Record<string, string> = {
  "undefined entity": "使用了未定义的实体（不支持 DTD 实体）",
  "text data outside of root node": "根元素之外有文字",
  "malformed character entity": "字符实体格式错误",
  "disallowed character": "含有 XML 不允许的字符",
  "duplicate attribute": "同一元素的属性重复",
  "unclosed tag": "有未闭合的标签",
  "unexpected end": "文件意外结束",
  "document must contain a root element": "文件中没有根元素",
  "unmatched closing tag": "闭合标签与开始标签不匹配",
};

/**
 * Where a document is not namespace-well-formed XML, in Chinese (line:column and what), or null.
 * bpmn-moddle reads a prefix nobody declared without a word, but strict parsers (Python's, Java's,
 * so Camunda's and Flowable's, and xmllint) refuse such a file: a diagram the platform ships or
 * deploys must be readable by all of them.
 */
export function xmlProblem(xml: string): string | null {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let first: string | null = null;
  parser.on("error", (error) => {
    first ??= error.message;
  });
  parser.write(xml).close();
  if (first === null) return null;
  const found = (first as string).match(/^(\d+):(\d+): (.*?)\.?$/);
  if (!found) return `XML 格式不正确（${first}）`;
  const [, line, column, what] = found;
  const prefix = what.match(/^unbound namespace prefix: "([^"]+)"/)?.[1];
  const said = Object.entries(SAXES_MESSAGES).find(([english]) => what.startsWith(english))?.[1];
  return `第 ${line} 行第 ${column} 列：${prefix ? `命名空间前缀“${prefix}”未声明（xmlns:${prefix}）` : `XML 格式不正确（${said ?? what}）`}`;
}
