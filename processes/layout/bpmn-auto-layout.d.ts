// bpmn-auto-layout ships no types; this is the one function the layout script calls.
declare module "bpmn-auto-layout" {
  /** The document with its diagram interchange (re)generated for the first process. */
  export function layoutProcess(xml: string): Promise<string>;
}
