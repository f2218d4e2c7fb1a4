import { SaxesParser } from "saxes";

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
  return `第 ${line} 行第 ${column} 列：${prefix ? `命名空间前缀“${prefix}”未声明（xmlns:${prefix}）` : `XML 格式不正确（${what}）`}`;
}
