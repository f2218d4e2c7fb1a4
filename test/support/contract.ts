import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";

// Every answer of the platform's API that a test receives is checked against the OpenAPI document
// the platform serves (/api/v1/openapi.json): its status must be one the operation lists, and its
// body must fit the schema the document gives for that status. The check wraps fetch for the
// platform's addresses (usePlatform and useCluster install it), so no API test can leave it out and
// the document cannot drift from the answers again. A mismatch fails the request that got it.

interface MediaType {
  schema?: object;
}
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: object;
}

/** The API's paths: its own prefix, and the attachments it shares with the pages. */
const IN_CONTRACT = /^\/(api\/v1\/|attachments(\/|$))/;
const DOCUMENT_PATH = "/api/v1/openapi.json";

class Contract {
  private readonly ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { pattern: RegExp; methods: Record<string, Operation> }[];

  constructor(private readonly document: Document) {
    this.routes = Object.entries(document.paths).map(([path, methods]) => ({
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, "[^/]+")}$`),
      methods,
    }));
  }

  /** What is wrong with an answer to `method path`, or null when the document allows it. */
  async problem(method: string, path: string, response: Response): Promise<string | null> {
    const route = this.routes.find((r) => r.pattern.test(path));
    // HEAD is answered as GET is, without the body.
    const head = method.toUpperCase() === "HEAD";
    const operation = route?.methods[head ? "get" : method.toLowerCase()];
    const where = `${method} ${path} answered ${response.status}`;
    if (!operation) {
      // Not an operation: an unknown API path is a JSON 404, a method the path does not take a 405.
      // Other paths under /attachments are pages (the 404 page of a file).
      if (!route && !path.startsWith("/api/")) return null;
      const expected = route ? 405 : 404;
      if (response.status !== expected)
        return `${where}; ${route ? "a method the document does not list" : "a path the document does not have"} must answer ${expected}`;
      if (head) return null;
      return this.bodyProblem(where, response, "components/schemas/Error", { schema: { $ref: "#/components/schemas/Error" } });
    }
    const documented = operation.responses[String(response.status)];
    if (!documented) return `${where}, which the document does not list for ${operation.operationId}`;
    const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim();
    const content = documented.content ?? {};
    if (!content[type])
      return `${where} with Content-Type "${type}", but the document gives ${Object.keys(content).join(", ") || "no body"}`;
    if (type !== "application/json" || head) return null;
    return this.bodyProblem(where, response, `${operation.operationId} ${response.status}`, content[type]);
  }

  private async bodyProblem(where: string, response: Response, key: string, media: MediaType): Promise<string | null> {
    let validate = this.validators.get(key);
    if (!validate) {
      // The document's own components travel with the schema, so its "#/components/…" references resolve.
      validate = this.ajv.compile({ ...media.schema, components: this.document.components });
      this.validators.set(key, validate);
    }
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${where} with a body that is not JSON: ${text.slice(0, 200)}`;
    }
    if (validate(body)) return null;
    return `${where} with a body the document does not allow: ${this.ajv.errorsText(validate.errors, { separator: "; " })}\n${text.slice(0, 500)}`;
  }
}

/**
 * Wraps fetch so that every answer from one of `bases` to an API path is checked against the
 * document `bases[0]` serves; returns the function that puts the previous fetch back.
 */
export function checkAnswersAgainstContract(bases: string[]): () => void {
  const previous = globalThis.fetch;
  let contract: Promise<Contract> | undefined;
  const contractOf = () => (contract ??= previous(bases[0] + DOCUMENT_PATH).then(async (r) => new Contract(await r.json())));
  globalThis.fetch = async (input, init) => {
    const response = await previous(input, init);
    // Read from the arguments, not a Request made of them: that would take a streamed body.
    const asked = input instanceof Request ? input : undefined;
    const url = new URL(asked?.url ?? String(input));
    const method = (init?.method ?? asked?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers ?? asked?.headers);
    const checked =
      bases.includes(url.origin) &&
      IN_CONTRACT.test(url.pathname) &&
      url.pathname !== DOCUMENT_PATH &&
      // A browser opening a file's link is sent to sign in: a page's behaviour, not the API's.
      headers.get("Sec-Fetch-Mode") !== "navigate" &&
      !response.redirected;
    if (!checked) return response;
    const problem = await (await contractOf()).problem(method, url.pathname, response);
    if (problem) throw new Error(`The answer does not match the OpenAPI document: ${problem}`);
    return response;
  };
  return () => {
    globalThis.fetch = previous;
  };
}
