import { OPERATIONS } from "../api/contract.server";

// Which methods an address takes, decided once at the edge: a request with any other method is a
// 405 naming those it takes (Allow), before a route sees it. Remix would hand any method to a
// page's action (a DELETE of /owner read as a form), answer a resource route's GET without a
// loader with 400, and fail on a method the Fetch API refuses (TRACE, CONNECT) with a 500.
// HEAD goes wherever GET does, and is answered like it without the body.

type Method = "DELETE" | "GET" | "HEAD" | "PATCH" | "POST" | "PUT";

const withHead = (methods: Method[]): Method[] => (methods.includes("GET") ? [...methods, "HEAD"] : methods).sort() as Method[];

const pathPattern = (template: string) => new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`);

/**
 * The API's addresses and the attachments, as the contract (and so the OpenAPI document) lists their
 * operations. A fixed address comes before the templates it also fits (`/api/v1/processes/dry-run`
 * before `/api/v1/processes/{key}`), as Remix routes it.
 */
const API = [...new Set(OPERATIONS.map((op) => op.path))]
  .sort((a, b) => Number(a.includes("{")) - Number(b.includes("{")))
  .map((path) => ({
    path: pathPattern(path),
    methods: withHead(OPERATIONS.filter((op) => op.path === path).map((op) => op.method.toUpperCase() as Method)),
  }));

/** Addresses that are not pages. */
const RESOURCES: { path: RegExp; methods: Method[] }[] = [
  { path: /^\/assets(\/|$)/, methods: withHead(["GET"]) },
  { path: /^\/healthz$/, methods: withHead(["GET"]) },
  { path: /^\/api\/v1\/openapi\.json$/, methods: withHead(["GET"]) },
  // A task's draft: saved as the user types, dropped by 放弃草稿.
  { path: /^\/tasks\/[^/]+\/draft$/, methods: ["DELETE", "POST"] },
  // The owners' web chat: messages and photos.
  { path: /^\/owner\/chat(\/photo)?$/, methods: ["POST"] },
  // Downloads: read only (a POST there is as refused as a PUT, so Allow does not name it).
  { path: /^\/export\/[^/]+$/, methods: withHead(["GET"]) },
  { path: /^\/stats\/chart\.xlsx$/, methods: withHead(["GET"]) },
  { path: /^\/map\.xlsx$/, methods: withHead(["GET"]) },
  { path: /^\/units-template\.xlsx$/, methods: withHead(["GET"]) },
  { path: /^\/reports\/[^/]+\/workbook$/, methods: withHead(["GET"]) },
];

/** A page: read (GET, HEAD) and its forms (POST). */
const PAGE = withHead(["GET", "POST"]);
/** An address under /api/ that is none of the API's: whatever the method, the API's JSON 404 answers it. */
const UNKNOWN_API: Method[] = ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"];

/** The methods an address takes, in the order Allow lists them. */
export function allowedMethods(path: string): Method[] {
  const known = API.find((r) => r.path.test(path)) ?? RESOURCES.find((r) => r.path.test(path));
  if (known) return known.methods;
  return path.startsWith("/api/") ? UNKNOWN_API : PAGE;
}

/** Whether the address takes the method; if not, the value of the answer's Allow header. */
export function refusedMethod(method: string, path: string): string | null {
  const allowed = allowedMethods(path);
  return (allowed as string[]).includes(method.toUpperCase()) ? null : allowed.join(", ");
}
