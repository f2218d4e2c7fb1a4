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
  "xml prefix must be bound to": "前缀 xml 只能绑定到 http://www.w3.org/XML/1998/namespace",
  "xmlns prefix must be bound to": "前缀 xmlns 只能绑定到 http://www.w3.org/2000/xmlns/",
  "invalid attempt to undefine prefix": "XML 1.0 中不能取消前缀的绑定",
};

/** The deepest elements may nest: the built-in diagrams nest under 10; 40,000 took the server 30 s. */
export const XML_MAX_DEPTH = 200;

/** The prefixes the platform and the engine read by name, each only for its standard namespace. */
const STANDARD_PREFIXES: Record<string, string> = {
  bpmn: "http://www.omg.org/spec/BPMN/20100524/MODEL",
  bpmndi: "http://www.omg.org/spec/BPMN/20100524/DI",
  dc: "http://www.omg.org/spec/DD/20100524/DC",
  di: "http://www.omg.org/spec/DD/20100524/DI",
  camunda: "http://camunda.org/schema/1.0/bpmn",
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
  // Found by the platform, not the parser: already in Chinese, with line and column.
  let own: string | null = null;
  const at = () => `第 ${parser.line} 行第 ${parser.column} 列：`;
  let depth = 0;
  parser.on("error", (error) => {
    first ??= error.message;
  });
  parser.on("doctype", () => {
    own ??= `${at()}流程图不能包含 DOCTYPE 声明`;
  });
  parser.on("opentag", (tag) => {
    if (++depth > XML_MAX_DEPTH) own ??= `${at()}流程图嵌套层次过深（超过${XML_MAX_DEPTH}层）`;
    for (const [prefix, uri] of Object.entries(tag.ns ?? {})) {
      if (Object.hasOwn(STANDARD_PREFIXES, prefix) && STANDARD_PREFIXES[prefix] !== uri)
        own ??= `${at()}前缀“${prefix}”只能绑定到 ${STANDARD_PREFIXES[prefix]}`;
    }
  });
  parser.on("closetag", () => {
    depth--;
  });
  // Stops at the first problem of its own: a deep nesting is not read to its end.
  let i = 0;
  while (i < xml.length && own === null && first === null) {
    let end = Math.min(xml.length, i + 16_384);
    // A chunk never ends between the halves of a surrogate pair.
    if (end < xml.length && /[\ud800-\udbff]/.test(xml[end - 1])) end++;
    parser.write(xml.slice(i, end));
    i = end;
  }
  if (own !== null) return own;
  if (first === null) parser.close();
  if (first === null) return null;
  const found = (first as string).match(/^(\d+):(\d+): (.*?)\.?$/);
  if (!found) return `XML 格式不正确（${first}）`;
  const [, line, column, what] = found;
  const prefix = what.match(/^unbound namespace prefix: "([^"]+)"/)?.[1];
  const said = Object.entries(SAXES_MESSAGES).find(([english]) => what.startsWith(english))?.[1];
  return `第 ${line} 行第 ${column} 列：${prefix ? `命名空间前缀“${prefix}”未声明（xmlns:${prefix}）` : `XML 格式不正确（${said ?? what}）`}`;
}
